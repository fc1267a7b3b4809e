import type { ComputedRef, MaybeRefOrGetter, ShallowRef } from 'vue'
import type { EventMap, EventSourceClient, EventSourceOptions, Lease, ParsedData, ParsedEvents, ParsedMessage, ParseFunction, ParserMap, RequestBody, SharedRegistry, TextEvents } from './core/index'
import type { StreamTracker } from './devtools/streams'
import type { CrossTabRole } from './platform/crossTab'
import type { UseEventSourceOptions, UseEventSourceReturn } from './useEventSource'
import { computed, effectScope, hasInjectionContext, shallowRef, toValue, watch } from 'vue'
import { bindSource } from './bindSource'
import { connectAt, connectWhen, warnIfUnowned } from './connectWhen'
import { CLOSED, createSharedRegistry, EventSourceOptionError } from './core/index'
import { checkNumber, conflictingOptions, createClient, resolveParse, streamKey } from './core/internal'
import { followSubscriber, trackForDevtools } from './devtools/track'
import { canShareAcrossTabs, createCrossTabSource } from './platform/crossTab'
import { pageSignals } from './platform/pageSignals'
import { refuseVueUseShape } from './refuseVueUseShape'
import { tryOnScopeDispose } from './tryOnScopeDispose'
import { statusOf, tokenGetter, useClientRefs } from './useEventSource'

/** Options of `useSharedEventSource`: those of `useEventSource`, plus how the connection is shared. */
export interface UseSharedEventSourceOptions<Data = string> extends UseEventSourceOptions<Data> {
  /** Callers with the same key share one connection. @default method + absolute URL + body + auth scope */
  key?: string
  /** Milliseconds the connection outlives its last subscriber, so a route swap between pages that share it does not reconnect. @default 1500 */
  keepAlive?: number
  /** Share one connection among all tabs of this origin (Web Locks and BroadcastChannel); where they are missing, each tab connects. @default false */
  shareAcrossTabs?: boolean
  /** Where shared connections live. @default sharedRegistry */
  registry?: SharedRegistry
}

/** What `useSharedEventSource` returns: what `useEventSource` does, plus how it is shared. */
export interface UseSharedEventSourceReturn<Data = string, Events extends EventMap = Record<never, never>> extends UseEventSourceReturn<Data, Events> {
  /** This tab's part: 'off' (not shared across tabs), 'leader' (holds the connection), 'follower' (hears the leader), 'unavailable' (no Web Locks/BroadcastChannel: one connection per tab). */
  crossTab: ComputedRef<CrossTabRole>
  /** The subscription key in use; '' without a URL. */
  key: Readonly<ShallowRef<string>>
}

/** The shared connections of this page (in the browser, one per key). Tests make their own with `createSharedRegistry()`. */
export const sharedRegistry: SharedRegistry = /* @__PURE__ */ createSharedRegistry()

export const DEFAULT_KEEP_ALIVE = 1500

/** The options every subscriber of one key must agree on; the rest are each subscriber's own. */
type SharedOptions<Data> = Omit<UseSharedEventSourceOptions<Data>, 'key' | 'keepAlive' | 'registry' | 'immediate' | 'events' | 'flush' | 'onMessage' | 'onError'>

/** One shared connection and what it was made from. */
interface SharedStream<Data, Events extends EventMap> {
  source: EventSourceClient<Data, Events>
  options: Record<string, unknown>
  role: ShallowRef<CrossTabRole>
  start: () => void
  open: () => void
  close: () => void
  dispose: () => void
  /** [dev] What Vue DevTools shows of this connection. */
  devtools?: StreamTracker
}

const browserSignals = /* @__PURE__ */ pageSignals()

/** A source for "no URL": closed, silent. */
const closedSource: EventSourceClient<any, any> = {
  state: { readyState: CLOSED, error: null, lastEventId: '', attempt: 0, retryDelay: null, retryAt: null },
  open() {},
  close() {},
  on: () => () => {},
  listen: () => () => {},
  subscribe: () => () => {},
}

/**
 * A caller's shared options as compared between subscribers of one key. The URL and body are in the key;
 * the token only by its auth scope (a getter or ref stands for "the app's bearer token").
 */
function describeShared<Data>(shared: SharedOptions<Data>): Record<string, unknown> {
  const { token: _token, body: _body, headers, shareAcrossTabs = false, signals = browserSignals, connectOnServer: _connectOnServer, ...rest } = shared
  return { ...rest, signals, headers: toValue(headers), shareAcrossTabs }
}

function buildSharedStream<Data, Events extends EventMap>(key: string, url: string, body: RequestBody, shared: SharedOptions<Data>): SharedStream<Data, Events> {
  const { token, headers, shareAcrossTabs = false, signals = browserSignals, body: _reactiveBody, connectOnServer: _connectOnServer, ...rest } = shared
  const options: EventSourceOptions<Data> = {
    ...rest,
    signals,
    token: tokenGetter(token),
    headers: () => toValue(headers),
    // The body is part of the key: this connection keeps the body it was made for.
    body,
  }
  const described = describeShared(shared)
  if (shareAcrossTabs && canShareAcrossTabs()) {
    const role = shallowRef<CrossTabRole>('follower')
    const source = createCrossTabSource<Data, Events>({
      key,
      parse: resolveParse(rest.parse),
      lastEventId: rest.lastEventId ?? '',
      // The leader's connection hands over raw text; every tab parses for itself.
      connect: lastEventId => createClient<string, Record<never, never>>(url, { ...options, parse: 'text', lastEventId } as EventSourceOptions<string>),
      onRole: (next) => {
        role.value = next
      },
      signals,
      pauseWhenHidden: rest.pauseWhenHidden === true,
    })
    return { source, options: described, role, start: source.start, open: source.open, close: source.close, dispose: source.dispose }
  }
  const client = createClient<Data, Events>(url, options)
  let started = false
  return {
    source: client,
    options: described,
    role: shallowRef(shareAcrossTabs ? 'unavailable' : 'off'),
    start() {
      if (!started) {
        started = true
        client.open()
      }
    },
    open() {
      started = true
      client.open()
    },
    close() {
      started = false
      client.close()
    },
    dispose: client.close,
  }
}

function createSharedStream<Data, Events extends EventMap>(key: string, url: string, body: RequestBody, shared: SharedOptions<Data>): SharedStream<Data, Events> {
  const stream = buildSharedStream<Data, Events>(key, url, body, shared)
  // [dev] DEVTOOLS, written out (see devtools/track.ts): Vue DevTools' "Event streams" inspector.
  return process.env.NODE_ENV !== 'production' ? withDevtools(stream, key, url, shared) : stream
}

/** A shared connection followed by Vue DevTools, in development builds only. */
function withDevtools<Data, Events extends EventMap>(stream: SharedStream<Data, Events>, key: string, url: string, shared: SharedOptions<Data>): SharedStream<Data, Events> {
  const { dispose, role } = stream
  const devtools = trackForDevtools('useSharedEventSource', shared, { url: () => url, key, client: stream.source, open: stream.open, close: stream.close, crossTab: () => role.value })
  // Detached: the connection outlives the subscriber whose setup happened to create it.
  const scope = effectScope(true)
  scope.run(() => watch(role, (to, from) => devtools?.handover(from, to)))
  return {
    ...stream,
    devtools,
    dispose() {
      scope.stop()
      devtools?.dispose()
      dispose()
    },
  }
}

/**
 * Like `useEventSource`, but every caller with the same key shares one connection: the first subscriber
 * opens it; it closes once the last subscriber's scope is gone and `keepAlive` ms pass without a new one.
 * Each subscriber has its own refs, `events`, `flush`, callbacks and `on()` handlers. With
 * `shareAcrossTabs`, the tabs of this origin share it too.
 */
export function useSharedEventSource<Data extends string = string, Events extends TextEvents<Events> = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options?: UseSharedEventSourceOptions<Data> & { parse?: 'text' },
): UseSharedEventSourceReturn<Data, Events>
/** With `parse: 'json'`, `data` is what you declare (`unknown` if you do not); with a function, what it returns. */
export function useSharedEventSource<Data = unknown, Events extends EventMap = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<Data> & { parse: 'json' | ParseFunction<Data> },
): UseSharedEventSourceReturn<Data, Events>
/** With an object of parsers by event type, each type's `data` is its parser's return type; the others stay text. */
export function useSharedEventSource<Parsers extends ParserMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<ParsedData<Parsers>> & { parse: Parsers },
): UseSharedEventSourceReturn<ParsedMessage<Parsers>, ParsedEvents<Parsers>>
export function useSharedEventSource<Data, Events extends EventMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<Data> = {},
): UseSharedEventSourceReturn<Data, Events> {
  refuseVueUseShape(options)
  const { key: explicitKey, keepAlive = DEFAULT_KEEP_ALIVE, registry = sharedRegistry, immediate = true, events = [], flush = 'sync', onMessage, onError, ...shared } = options
  const when = connectWhen(shared.connectOnServer)
  if (when === 'never' || (typeof document === 'undefined' && hasInjectionContext() && shared.connectOnServer !== true)) {
    // [SSR] On a server nothing is shared between requests (two users' renders must never meet in the
    // module-level registry), and nothing connects from an app: a private instance, which renders the
    // initial state (and, in a component of a custom renderer that mounts it, connects on mount).
    const own = useClientRefs<Data, Events>(url, { ...shared, events, flush, onMessage, onError, immediate })
    return { ...own, crossTab: computed(() => 'off'), key: shallowRef('') }
  }
  warnIfUnowned('useSharedEventSource')
  checkNumber('keepAlive', keepAlive)
  if (explicitKey !== undefined && (typeof explicitKey !== 'string' || explicitKey === ''))
    throw new EventSourceOptionError('key', process.env.NODE_ENV !== 'production' ? 'expected a non-empty string' : '')

  const binding = bindSource<Data, Events>({ events, flush, onMessage, onError, lastEventId: shared.lastEventId ?? '' })
  const key = shallowRef('')
  const stream = shallowRef<SharedStream<Data, Events> | null>(null)
  let lease: Lease<SharedStream<Data, Events>> | null = null
  let wanted = false

  function leave(): void {
    lease?.release()
    lease = null
    stream.value = null
    key.value = ''
  }

  /** Joins the shared stream for the current URL and body, leaving the previous one. */
  function join(): void {
    const target = toValue(url)
    if (target === null || target === undefined || target === '') {
      leave()
      binding.attach(closedSource)
      return
    }
    const body = toValue(shared.body)
    let next: string
    try {
      next = explicitKey ?? streamKey(target, shared.method ?? 'GET', body, shared.token)
    }
    catch {
      // An unusable URL gets a key of its own; its connection fails with a typed error as usual.
      next = `invalid ${String(target)}`
    }
    if (lease !== null && key.value === next)
      return
    const taken = registry.acquire(next, () => createSharedStream<Data, Events>(next, String(target), body, shared), value => value.dispose(), keepAlive)
    if (!taken.created) {
      const differing = conflictingOptions(taken.value.options, describeShared(shared))
      if (differing.length > 0) {
        taken.release()
        throw new EventSourceOptionError('key', process.env.NODE_ENV !== 'production' ? `"${next}" is already shared with different ${differing.join(', ')}; define the stream once (defineEventSource) or give this one its own key` : '')
      }
    }
    leave()
    lease = taken
    stream.value = taken.value
    key.value = next
    binding.attach(taken.value.source)
    if (wanted)
      taken.value.start()
  }

  join()
  // [dev] DEVTOOLS, written out (see devtools/track.ts): this component among the stream's subscribers.
  if (process.env.NODE_ENV !== 'production')
    followSubscriber(stream)
  const stopWatch = watch(() => [toValue(url), toValue(shared.body)], join, { deep: true })

  const cancelConnect = immediate
    ? connectAt(when, () => {
        wanted = true
        stream.value?.start()
      })
    : undefined

  tryOnScopeDispose(() => {
    cancelConnect?.()
    stopWatch()
    binding.dispose()
    leave()
  })

  return {
    ...binding.refs,
    status: statusOf(binding.refs.readyState),
    crossTab: computed(() => stream.value?.role.value ?? 'off'),
    key,
    open() {
      wanted = true
      stream.value?.open()
    },
    close() {
      wanted = false
      stream.value?.close()
    },
    on: binding.on,
  }
}

/** `useSharedEventSource` typed from its type arguments alone, for `defineEventSource`, which passes a generic `Data` through. */
export const useSharedClientRefs = useSharedEventSource as <Data, Events extends EventMap>(url: MaybeRefOrGetter<string | URL | null | undefined>, options?: UseSharedEventSourceOptions<Data>) => UseSharedEventSourceReturn<Data, Events>
