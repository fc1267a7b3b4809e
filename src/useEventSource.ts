import type { ComputedRef, MaybeRefOrGetter, ShallowRef } from 'vue'
import type { EventSourceError } from './core/errors'
import type { PageSignals } from './core/signals'
import type {
  EventData,
  EventHandler,
  EventMap,
  EventSourceMessage,
  EventSourceOptions,
  EventSourceStatus,
  ReadyState,
  RequestBody,
  TokenGetter,
} from './core/types'
import type { FlushMode } from './flush'
import { computed, getCurrentInstance, getCurrentScope, isRef, onMounted, onScopeDispose, shallowRef, toValue, watch } from 'vue'
import { createEventSource } from './core/client'
import { EventSourceOptionError } from './core/errors'
import { CLOSED } from './core/types'
import { createBatcher } from './flush'
import { pageSignals } from './pageSignals'

/** Options of `useEventSource`: the client's options, with reactive inputs. */
export interface UseEventSourceOptions<Data = string> extends Omit<EventSourceOptions<Data>, 'headers' | 'body' | 'token' | 'signals'> {
  /**
   * Bearer token sent as `Authorization: Bearer <token>`, never in the URL. A string, a ref (a change
   * reconnects), or a function, sync or async, called afresh before every attempt and asked for a fresh
   * token once after a 401/403.
   * @default undefined
   */
  token?: MaybeRefOrGetter<string | null | undefined> | TokenGetter
  /** Request headers, read before every attempt; a change reconnects. @default {} */
  headers?: MaybeRefOrGetter<HeadersInit | null | undefined>
  /** Request body, read before every attempt; plain objects and arrays are sent as JSON; a change reconnects. @default undefined */
  body?: MaybeRefOrGetter<RequestBody>
  /** Connect at once (in a component: when it mounts, so never during server-side rendering). @default true */
  immediate?: boolean
  /** Named event types that also update `data` and `event`, as `message` always does. @default [] */
  events?: readonly string[]
  /** Page visibility and network state. @default pageSignals() (the browser's) */
  signals?: PageSignals
  /**
   * When `data`, `event` and `lastEventId` catch up with a burst of events: `'sync'` on every event,
   * `'microtask'` once per task, `'frame'` at most once per animation frame. `on()` handlers always see
   * every event at once.
   * @default 'sync'
   */
  flush?: FlushMode
}

/** What `useEventSource` returns. */
export interface UseEventSourceReturn<Data = string, Events extends EventMap = Record<never, never>> {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSED, as `EventSource.readyState`. */
  readyState: Readonly<ShallowRef<ReadyState>>
  /** `readyState` as a word: 'CONNECTING', 'OPEN' or 'CLOSED'. */
  status: ComputedRef<EventSourceStatus>
  /** Parsed data of the last `message` (or `events`) event; `null` before the first. */
  data: Readonly<ShallowRef<Data | null>>
  /** Type of the event that last set `data`; `null` before the first. */
  event: Readonly<ShallowRef<string | null>>
  /** The stream's last event ID, sent as `Last-Event-ID` when reconnecting. */
  lastEventId: Readonly<ShallowRef<string>>
  /** The latest error, or `null`; cleared when a connection opens. */
  error: Readonly<ShallowRef<EventSourceError | null>>
  /** Consecutive failed attempts; 0 once a connection delivers an event. */
  attempt: Readonly<ShallowRef<number>>
  /** Delay in ms of the scheduled reconnection, or `null` when none is scheduled. */
  retryDelay: Readonly<ShallowRef<number | null>>
  /** When the scheduled reconnection happens (a `Date.now()` timestamp), or `null`. */
  retryAt: Readonly<ShallowRef<number | null>>
  /** Connects, or reconnects at once. */
  open: () => void
  /** Closes for good until `open()`. */
  close: () => void
  /**
   * Calls `handler` with every event of `type`, in order, none collapsed. Returns a function that removes
   * it; it is also removed when the effect scope (component) that called `on` is disposed.
   */
  on: <K extends string>(type: K, handler: EventHandler<EventData<Events, K, Data>, K>) => () => void
}

const STATUS = ['CONNECTING', 'OPEN', 'CLOSED'] as const

/**
 * Server-Sent Events over `fetch`, as Vue refs. Connects when the component mounts (or at once outside
 * components), reconnects on failure and when a reactive input changes, and closes when the owning
 * component or effect scope goes away.
 */
export function useEventSource<Data = string, Events extends EventMap = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseEventSourceOptions<Data> = {},
): UseEventSourceReturn<Data, Events> {
  const { token, headers, body, immediate = true, events = [], signals = pageSignals(), flush = 'sync', onMessage, ...rest } = options
  if (!Array.isArray(events))
    throw new EventSourceOptionError('events', 'expected an array of event type names')
  if (flush !== 'sync' && flush !== 'microtask' && flush !== 'frame')
    throw new EventSourceOptionError('flush', `expected 'sync', 'microtask' or 'frame', got ${String(flush)}`)
  const named = new Set<string>(['message', ...events])
  // Whether the last event type seen updates data/event: a stream of one type checks the set once.
  let lastType: string | null = null
  let lastNamed = false
  const isNamed = (type: string): boolean => {
    if (type !== lastType) {
      lastType = type
      lastNamed = named.has(type)
    }
    return lastNamed
  }

  const readyState = shallowRef<ReadyState>(CLOSED)
  const data = shallowRef<Data | null>(null)
  const event = shallowRef<string | null>(null)
  const lastEventId = shallowRef(rest.lastEventId ?? '')
  const error = shallowRef<EventSourceError | null>(null)
  const attempt = shallowRef(0)
  const retryDelay = shallowRef<number | null>(null)
  const retryAt = shallowRef<number | null>(null)

  // With a batching flush, the newest event that updates data/event, and the newest last event ID
  // (from a message or from an id-only block), wait here for the next flush.
  let latest: EventSourceMessage<Data> | null = null
  let latestId = lastEventId.value
  const batcher = flush === 'sync'
    ? null
    : createBatcher(flush, () => {
        lastEventId.value = latestId
        if (latest !== null) {
          event.value = latest.event
          data.value = latest.data
          latest = null
        }
      })

  const client = createEventSource<Data, Events>(() => toValue(url), {
    ...rest,
    signals,
    // A function is a getter the client calls per attempt (with `refresh` after a 401); a ref is read per attempt.
    token: typeof token === 'function' ? token as TokenGetter : () => toValue(token),
    headers: () => toValue(headers),
    body: () => toValue(body),
    onMessage(message: EventSourceMessage<Data>) {
      if (batcher === null) {
        lastEventId.value = message.lastEventId
        if (isNamed(message.event)) {
          event.value = message.event
          data.value = message.data
        }
      }
      else {
        latestId = message.lastEventId
        if (isNamed(message.event))
          latest = message
        batcher.schedule()
      }
      onMessage?.(message)
    },
  })

  const stopState = client.subscribe((state) => {
    readyState.value = state.readyState
    error.value = state.error
    lastEventId.value = latestId = state.lastEventId
    attempt.value = state.attempt
    retryDelay.value = state.retryDelay
    retryAt.value = state.retryAt
  })

  // Whether the caller wants a connection: open() or `immediate` say yes, close() says no.
  let wanted = false
  const open = (): void => {
    wanted = true
    client.open()
  }
  const close = (): void => {
    wanted = false
    client.close()
  }

  const offs = new Set<() => void>()
  const on: UseEventSourceReturn<Data, Events>['on'] = (type, handler) => {
    const remove = client.on(type, handler)
    const off = (): void => {
      offs.delete(off)
      remove()
    }
    offs.add(off)
    // The scope calling on() owns the handler; outside any scope the composable's own scope does.
    if (getCurrentScope())
      onScopeDispose(off, true)
    return off
  }

  // A new URL, headers, body or token ref value means a new request: reconnect if a connection is wanted.
  const stopWatch = watch(
    () => [toValue(url), toValue(headers), toValue(body), isRef(token) ? token.value : undefined],
    () => {
      if (wanted)
        client.open()
    },
    { deep: true },
  )

  if (immediate) {
    if (getCurrentInstance())
      onMounted(open)
    else
      open()
  }

  if (getCurrentScope()) {
    onScopeDispose(() => {
      stopWatch()
      close()
      batcher?.cancel()
      stopState()
      for (const off of [...offs])
        off()
    })
  }

  return {
    readyState,
    status: computed(() => STATUS[readyState.value]),
    data,
    event,
    lastEventId,
    error,
    attempt,
    retryDelay,
    retryAt,
    open,
    close,
    on,
  }
}
