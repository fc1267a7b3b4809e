/**
 * VueUse 14's `useEventSource(url, events, options)`, on the drop-in `EventSource`: its signature, options
 * and return shape, plus this library's request options (`headers`, `token`, `method`, `body`).
 */
import type { MaybeRefOrGetter, Ref, ShallowRef } from 'vue'
import type { EventSourceStatus } from '../core/index'
import type { EventSourceErrorEvent, EventSourceInit } from '../eventsource/index'
import { shallowRef, toValue, watch } from 'vue'
import { connectAt, connectWhen } from '../connectWhen'
import { STATUS_NAMES } from '../core/internal'
import { EventSource } from '../eventsource/index'
import { tryOnScopeDispose } from '../tryOnScopeDispose'

/** VueUse's reconnection options. */
export interface VueUseReconnectOptions {
  /** Reconnection attempts after a failure; -1, or a function that returns `true` to go on, retries for ever. @default -1 */
  retries?: number | (() => boolean)
  /** Milliseconds between attempts. @default 1000 */
  delay?: number
  /** Called once when the attempts are exhausted. @default undefined */
  onFailed?: () => void
}

/** VueUse 14's options, and the request options this library adds. */
export interface UseEventSourceOptions<Data> extends Pick<EventSourceInit, 'headers' | 'token' | 'method' | 'body' | 'fetch' | 'heartbeatTimeout'> {
  /** Send cookies cross-origin. @default false */
  withCredentials?: boolean
  /** Connect at once. @default true */
  immediate?: boolean
  /** Reconnect when the URL changes. @default true */
  autoConnect?: boolean
  /** Reconnect after the connection fails for good (a status other than 200, say); off as in VueUse. @default false */
  autoReconnect?: boolean | VueUseReconnectOptions
  /** Turns each event's text into `data`. @default { read: raw => raw } */
  serializer?: { read: (raw?: string) => Data }
}

/** What VueUse's `useEventSource` returns. */
export interface UseEventSourceReturn<Events extends string, Data> {
  /** The live `EventSource` (the drop-in), `null` after `close()`. */
  eventSource: Ref<EventSource | null>
  /** The type of the latest named event, `null` for a plain message. */
  event: ShallowRef<Events | null>
  /** The latest event's data, through `serializer`; `null` at first. */
  data: ShallowRef<Data | null>
  /** `readyState` as a word: CLOSED before anything connects (VueUse says CONNECTING). */
  status: ShallowRef<EventSourceStatus>
  /** The latest error event, `null` once open. */
  error: ShallowRef<Event | null>
  /** The latest event's last event ID, `null` at first. */
  lastEventId: ShallowRef<string | null>
  /** Closes and connects again, the attempts counted afresh. */
  open: () => void
  /** Closes for good. */
  close: () => void
}

/** VueUse's `useEventSource`, with headers and tokens. */
export function useEventSource<Events extends string[] = [], Data = any>(
  url: MaybeRefOrGetter<string | URL | undefined>,
  events: Events = [] as unknown as Events,
  options: UseEventSourceOptions<Data> = {},
): UseEventSourceReturn<Events[number], Data> {
  const { immediate = true, autoConnect = true, autoReconnect = false, serializer = { read: (raw?: string) => raw as Data }, ...init } = options
  const eventSource = shallowRef<EventSource | null>(null)
  const event = shallowRef<Events[number] | null>(null)
  const data = shallowRef<Data | null>(null)
  const status = shallowRef<EventSourceStatus>('CLOSED')
  const error = shallowRef<Event | null>(null)
  const lastEventId = shallowRef<string | null>(null)
  // On a server, the main entry's rules: nothing connects on a server, a component connects once mounted
  const when = connectWhen(undefined)
  const { retries = -1, delay = 1000, onFailed } = autoReconnect === true ? {} : autoReconnect || {}

  const close = (): void => {
    eventSource.value?.close()
    eventSource.value = null
    status.value = 'CLOSED'
  }

  const open = (): void => {
    close()
    const target = toValue(url)
    if (when === 'never' || target === undefined)
      return
    const source = new EventSource(target, {
      ...init,
      // [NON-SPEC] autoReconnect: every failure retried, `delay` apart; VueUse's off-by-one (one
      // attempt short of `retries`) is not copied
      reconnect: autoReconnect === false
        ? undefined
        : {
            retries: typeof retries === 'number' && retries >= 0 ? retries : Infinity,
            delay: () => {
              if (typeof retries === 'function' && !retries()) {
                source.close()
                onFailed?.()
              }
              return delay
            },
            jitter: 0,
            retryStatus: () => true,
            onFailed: () => onFailed?.(),
          },
    })
    eventSource.value = source
    status.value = 'CONNECTING'
    const follow = (): void => {
      status.value = STATUS_NAMES[source.readyState as 0 | 1 | 2]
    }
    source.addEventListener('open', () => {
      follow()
      error.value = null
    })
    source.addEventListener('error', (failure: EventSourceErrorEvent) => {
      follow()
      error.value = failure
    })
    const receive = (type: Events[number] | null) => (message: MessageEvent) => {
      event.value = type
      data.value = serializer.read(message.data) ?? null
      lastEventId.value = message.lastEventId
    }
    source.addEventListener('message', receive(null))
    for (const name of events)
      source.addEventListener(name, receive(name))
  }

  const cancelConnect = immediate ? connectAt(when, open) : undefined
  if (autoConnect)
    watch(() => toValue(url), open)
  tryOnScopeDispose(() => {
    cancelConnect?.()
    close()
  })
  return { eventSource, event, data, status, error, lastEventId, open, close }
}
