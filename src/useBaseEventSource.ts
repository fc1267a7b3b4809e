import type { Binding } from './bindSource'
import type { ConnectWhen } from './connectWhen'
import type { EventMap } from './core/index'
import type { UseEventSourceOptions, UseEventSourceReturn } from './useEventSource'
import { computed } from 'vue'
import { bindSource } from './bindSource'
import { connectAt, connectWhen, warnIfUnowned } from './connectWhen'
import { STATUS_NAMES } from './core/internal'
import { refuseVueUseShape } from './refuseVueUseShape'
import { tryOnScopeDispose } from './tryOnScopeDispose'

/** How a composable gets its events: a client of its own, or a shared connection. */
export interface Connection<Extra> {
  /** Connects because `immediate` says so, once the calling context allows. */
  start: () => void
  /** `open()`: connects, or reconnects at once. */
  open: () => void
  /** `close()`: closes until `open()`. */
  close: () => void
  /** The owning scope is gone: stop watching, leave, let the binding go. */
  dispose: () => void
  /** What this kind of composable returns besides the refs. */
  extra: Extra
}

/** What a connection is made with: the caller's refs and handlers, and when it may connect. */
export interface ConnectionSetup<Data, Events extends EventMap> {
  binding: Binding<Data, Events>
  when: ConnectWhen
}

/**
 * The shell of every composable, as TanStack Query's `useQuery` sits on `useBaseQuery`: it refuses a
 * VueUse-shaped call, decides when a connection may be made (connectWhen.ts), binds the refs and `on()`
 * handlers (bindSource.ts), connects when `immediate` says, and ends with the owning scope. `connect`
 * says where the events come from.
 */
export function useBaseEventSource<Data, Events extends EventMap, Extra>(
  name: string,
  options: UseEventSourceOptions<Data>,
  connect: (setup: ConnectionSetup<Data, Events>) => Connection<Extra>,
): UseEventSourceReturn<Data, Events> & Extra {
  refuseVueUseShape(options)
  const { immediate = true, events = [], flush = 'microtask', onMessage, onError, connectOnServer, lastEventId = '' } = options
  warnIfUnowned(name)
  const when = connectWhen(connectOnServer)
  const binding = bindSource<Data, Events>({ events, flush, onMessage, onError, lastEventId })
  const connection = connect({ binding, when })
  const cancelConnect = immediate ? connectAt(when, connection.start) : undefined
  tryOnScopeDispose(() => {
    cancelConnect?.()
    connection.dispose()
  })
  const { readyState } = binding.refs
  return { ...binding.refs, status: computed(() => STATUS_NAMES[readyState.value]), open: connection.open, close: connection.close, on: binding.on, ...connection.extra }
}

/** The client's own options among a composable's: those the Vue layer handles itself left out. */
export function clientOptions<Data, Options extends UseEventSourceOptions<Data>>(options: Options) {
  const { token: _token, headers: _headers, body: _body, immediate: _immediate, events: _events, signals: _signals, flush: _flush, onMessage: _onMessage, onError: _onError, connectOnServer: _connectOnServer, ...rest } = options
  return rest
}
