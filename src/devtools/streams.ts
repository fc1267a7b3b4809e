import type { EventSourceState } from '../core/index'
import type { Source } from '../core/internal'
import { CLOSED, CONNECTING, OPEN } from '../core/index'
import { callSafely } from '../core/internal'

/**
 * The streams of this page as Vue DevTools shows them: one record per client (per shared connection for
 * shared streams), with what it was made from, its live state and its traffic. Knows nothing of Vue or of
 * the DevTools; it only ever holds the URL, the method, the key, option numbers and whether a token is
 * set, never a token's or a header's value.
 */
export interface StreamRecord {
  id: string
  /** `useEventSource`, `useSharedEventSource` or `createEventSource`. */
  kind: string
  /** The URL now (a reactive URL changes it). */
  readonly url: string
  method: string
  /** The subscription key of a shared stream; '' otherwise. */
  key: string
  /** Whether a bearer token is sent (a string, a ref or a getter); its value is never read here. */
  token: boolean
  heartbeatTimeout: number
  connectTimeout: number
  client: Pick<Source<any, any>, 'state' | 'subscribe' | 'listen'>
  /** Connect or reconnect now (the owner's own open(), so its bookkeeping follows). */
  open: () => void
  /** Close until opened again. */
  close: () => void
  /** The cross-tab part of a shared stream: 'off', 'leader', 'follower' or 'unavailable'. */
  crossTab: () => string
  /** The names of the components (or scopes) that use the stream, one entry per subscriber. */
  subscribers: string[]
  events: number
  /** Times of the latest events (at most RATE_WINDOW_SIZE), for events per second. */
  recent: number[]
  lastError: { type: string, status?: number, message: string } | null
}

/** What happens to a stream, as the DevTools timeline shows it. */
export type StreamActivity
  = | { kind: 'added' | 'removed' | 'subscribers', record: StreamRecord }
    | { kind: 'connect', record: StreamRecord, attempt: number }
    | { kind: 'open', record: StreamRecord }
    | { kind: 'event', record: StreamRecord, type: string, id: string, size: number, data: string }
    | { kind: 'error', record: StreamRecord, type: string, status?: number, message: string }
    | { kind: 'reconnect', record: StreamRecord, delay: number, reason: string }
    | { kind: 'close', record: StreamRecord, reason: string }
    | { kind: 'handover', record: StreamRecord, from: string, to: string }

/** The longest piece of an event's data the timeline shows. */
export const DATA_PREVIEW = 120
const RATE_WINDOW = 5000
const RATE_WINDOW_SIZE = 500

const records = new Map<string, StreamRecord>()
const listeners = new Set<(activity: StreamActivity) => void>()
let nextId = 0

function emit(activity: StreamActivity): void {
  for (const listener of listeners)
    callSafely(listener, activity)
}

/** The streams alive now, oldest first. */
export function streams(): StreamRecord[] {
  return [...records.values()]
}

/** Calls `listener` with every activity of every stream; returns a function that stops it. */
export function onStreamActivity(listener: (activity: StreamActivity) => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

/** Events per second over the last few seconds. */
export function eventRate(record: StreamRecord, now = Date.now()): number {
  const since = now - RATE_WINDOW
  const inWindow = record.recent.filter(time => time >= since)
  return Math.round((inWindow.length / (RATE_WINDOW / 1000)) * 10) / 10
}

/** What a tracked stream's owner tells the registry. */
export interface StreamTracker {
  record: StreamRecord
  addSubscriber: (name: string) => void
  removeSubscriber: (name: string) => void
  /** The cross-tab role changed. */
  handover: (from: string, to: string) => void
  /** The stream is gone: stop following it. */
  dispose: () => void
}

/** Where a new record comes from: the URL as a getter, since it may be reactive. */
export type StreamInit = Omit<StreamRecord, 'id' | 'url' | 'subscribers' | 'events' | 'recent' | 'lastError'> & { url: () => string }

/** Follows a client's state and events into a record; dev-only, never called in production builds. */
export function trackStream(init: StreamInit): StreamTracker {
  const { url, ...rest } = init
  const record: StreamRecord = {
    ...rest,
    get url() {
      return url()
    },
    id: `stream-${++nextId}`,
    subscribers: [],
    events: 0,
    recent: [],
    lastError: null,
  }
  records.set(record.id, record)
  let previous: EventSourceState = { ...init.client.state }
  const unsubscribe = init.client.subscribe((state) => {
    const before = previous
    previous = { ...state }
    if (state.error !== null && state.error !== before.error) {
      const status = (state.error as { status?: number }).status
      record.lastError = { type: state.error.type, ...(status === undefined ? {} : { status }), message: state.error.message }
      emit({ kind: 'error', record, ...record.lastError })
    }
    // A scheduled reconnection; else an attempt starting: from another state, or when the wait is over.
    if (state.readyState === CONNECTING && state.retryDelay !== null && state.retryAt !== before.retryAt)
      emit({ kind: 'reconnect', record, delay: state.retryDelay, reason: state.error?.type ?? 'the stream ended' })
    else if (state.readyState === CONNECTING && (before.readyState !== CONNECTING || (state.retryDelay === null && before.retryDelay !== null)))
      emit({ kind: 'connect', record, attempt: state.attempt })
    if (state.readyState === OPEN && before.readyState !== OPEN)
      emit({ kind: 'open', record })
    if (state.readyState === CLOSED && before.readyState !== CLOSED)
      emit({ kind: 'close', record, reason: state.error === null ? 'closed' : `${state.error.type}: ${state.error.message}` })
  })
  // Raw text only (no `dataOf`): following a stream never parses an event nobody reads.
  const unlisten = init.client.listen((message) => {
    record.events++
    const now = Date.now()
    record.recent.push(now)
    if (record.recent.length > RATE_WINDOW_SIZE)
      record.recent.splice(0, record.recent.length - RATE_WINDOW_SIZE)
    emit({ kind: 'event', record, type: message.event, id: message.lastEventId, size: message.raw.length, data: message.raw.slice(0, DATA_PREVIEW) })
  }, [])
  emit({ kind: 'added', record })
  let disposed = false
  return {
    record,
    addSubscriber(name) {
      record.subscribers.push(name)
      emit({ kind: 'subscribers', record })
    },
    removeSubscriber(name) {
      const at = record.subscribers.indexOf(name)
      if (at !== -1)
        record.subscribers.splice(at, 1)
      emit({ kind: 'subscribers', record })
    },
    handover(from, to) {
      emit({ kind: 'handover', record, from, to })
    },
    dispose() {
      if (disposed)
        return
      disposed = true
      unsubscribe()
      unlisten()
      records.delete(record.id)
      emit({ kind: 'removed', record })
    },
  }
}
