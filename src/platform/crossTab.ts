import type { EventMap, EventSourceClient, EventSourceState } from '../core/index'
import { createDispatcher, createStateStore, EventSourceError, EventSourceHttpError, EventSourceOptionError } from '../core/index'

/** How this tab takes part in a stream shared across tabs. */
export type CrossTabRole = 'off' | 'leader' | 'follower' | 'unavailable'

interface LockManager {
  request: (name: string, options: { signal: AbortSignal }, callback: () => Promise<void> | void) => Promise<unknown>
}

function lockManager(): LockManager | null {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  return typeof locks?.request === 'function' ? locks : null
}

/** Whether this page can share a connection with its other tabs: it needs Web Locks and BroadcastChannel. */
export function canShareAcrossTabs(): boolean {
  return typeof globalThis.BroadcastChannel === 'function' && lockManager() !== null
}

/** An error as it crosses to another tab: plain data, rebuilt there as the same class. */
interface WireError {
  type: EventSourceError['type']
  message: string
  status?: number
  retryAfter?: number | null
  contentType?: string | null
  limit?: number
  option?: string
}

type WireState = Omit<EventSourceState, 'error'> & { error: WireError | null }

/** What tabs tell each other. The leader sends state and events; followers ask. Tokens never cross. */
type Wire
  = | { t: 'state', state: WireState, started: boolean, errorSeq: number }
    | { t: 'event', type: string, raw: string, id: string }
    | { t: 'hello' }
    | { t: 'start' }
    | { t: 'open' }
    | { t: 'close' }

function toWire(error: EventSourceError): WireError {
  const wire: WireError = { type: error.type, message: error.message }
  if (error instanceof EventSourceHttpError) {
    wire.status = error.status
    wire.retryAfter = error.retryAfter
  }
  if (error instanceof EventSourceOptionError)
    wire.option = error.option
  if (error.contentType !== undefined)
    wire.contentType = error.contentType
  if (error.limit !== undefined)
    wire.limit = error.limit
  return wire
}

function fromWire(wire: WireError): EventSourceError {
  if (wire.type === 'http-status' && wire.status !== undefined)
    return new EventSourceHttpError(wire.status, wire.retryAfter ?? null)
  if (wire.type === 'invalid-option')
    return new EventSourceOptionError(wire.option ?? 'unknown', wire.message)
  return new EventSourceError(wire.type, wire.message, { contentType: wire.contentType, limit: wire.limit })
}

/** A source for one stream, shared by every tab of this origin that uses the same key. */
export interface CrossTabSource<Data, Events extends EventMap> extends EventSourceClient<Data, Events> {
  /** Opens the shared connection unless some tab has started it already. */
  start: () => void
  /** Leaves: a leader hands the connection to the next tab; a follower stops listening. */
  dispose: () => void
}

export interface CrossTabSetup<Data> {
  /** Names the lock and the channel; tabs with the same key share. */
  key: string
  /** How this tab turns raw event data into `data` (each tab parses for itself). */
  parse: ((raw: string, event: { event: string, lastEventId: string }) => Data) | null
  /** Makes the real connection, delivering raw text, when this tab becomes the leader. */
  connect: (lastEventId: string) => EventSourceClient<string>
  /** The last event ID to start from. */
  lastEventId: string
  /** Told when this tab becomes a follower or the leader. */
  onRole: (role: 'leader' | 'follower') => void
}

/**
 * One tab holds the connection, elected with a Web Lock; it relays every event and state change over a
 * BroadcastChannel. When it leaves (or crashes, which frees the lock), the next tab in the lock's queue
 * connects, resuming from the last event ID it has seen, so nothing is lost or repeated.
 */
export function createCrossTabSource<Data, Events extends EventMap>(setup: CrossTabSetup<Data>): CrossTabSource<Data, Events> {
  const locks = lockManager()
  if (locks === null || typeof globalThis.BroadcastChannel !== 'function')
    throw new EventSourceOptionError('shareAcrossTabs', 'this page has no Web Locks or BroadcastChannel')
  const name = `vue-event-source:${setup.key}`
  const store = createStateStore(setup.lastEventId)
  const dispatcher = createDispatcher<Data, Events>(setup.parse, error => store.update({ error }))
  const channel = new BroadcastChannel(name)
  const abandon = new AbortController()
  let client: EventSourceClient<string> | null = null
  let started = false
  let disposed = false
  let releaseLock: (() => void) | null = null
  // The leader numbers its errors so followers rebuild each one once and keep its identity.
  let errorSeq = 0
  let sentError: EventSourceError | null = null
  let seenErrorSeq = 0

  const post = (message: Wire): void => channel.postMessage(message)

  function relayState(): void {
    if (client === null)
      return
    const state = client.state
    if (state.error !== sentError) {
      sentError = state.error
      errorSeq++
    }
    post({ t: 'state', state: { ...state, error: state.error === null ? null : toWire(state.error) }, started, errorSeq })
  }

  function deliver(type: string, raw: string, id: string): void {
    // As in the client: the message carries the new last event ID, subscribers are not told separately.
    store.state.lastEventId = id
    dispatcher.deliver(type, raw, id)
  }

  function lead(): void {
    const leading = setup.connect(store.state.lastEventId)
    client = leading
    // Raw text only: every tab parses for itself, as its own callers need.
    leading.listen((message) => {
      post({ t: 'event', type: message.event, raw: message.raw, id: message.lastEventId })
      deliver(message.event, message.raw, message.lastEventId)
    }, [])
    let connectionError = leading.state.error
    leading.subscribe((state) => {
      // Keep this tab's own data errors (parse, handler) until the connection reports a new error of its own.
      const error = state.error === connectionError ? store.state.error : (connectionError = state.error)
      store.update({ ...state, error })
      relayState()
    })
    setup.onRole('leader')
    if (started)
      leading.open()
    relayState()
  }

  channel.onmessage = (event: MessageEvent<Wire>) => {
    const message = event.data
    if (disposed)
      return
    if (client !== null) {
      if (message.t === 'hello')
        relayState()
      else if (message.t === 'start' && !started)
        start()
      else if (message.t === 'open')
        open()
      else if (message.t === 'close')
        close()
      return
    }
    if (message.t === 'state') {
      started = message.started
      let error = store.state.error
      if (message.errorSeq !== seenErrorSeq) {
        seenErrorSeq = message.errorSeq
        error = message.state.error === null ? null : fromWire(message.state.error)
      }
      store.update({ ...message.state, error })
    }
    else if (message.t === 'event') {
      deliver(message.type, message.raw, message.id)
    }
  }

  locks.request(name, { signal: abandon.signal }, () => {
    if (disposed)
      return
    return new Promise<void>((resolve) => {
      releaseLock = resolve
      lead()
    })
  }).catch(() => {
    // Aborted: this tab left before its turn to lead came.
  })
  setup.onRole('follower')
  post({ t: 'hello' })

  function start(): void {
    if (client === null) {
      started = true
      post({ t: 'start' })
    }
    else if (!started) {
      started = true
      client.open()
    }
  }

  function open(): void {
    if (client === null)
      return post({ t: 'open' })
    started = true
    client.open()
  }

  function close(): void {
    if (client === null)
      return post({ t: 'close' })
    started = false
    client.close()
  }

  return {
    state: store.state,
    subscribe: store.subscribe,
    on: dispatcher.on,
    listen: dispatcher.listen,
    open,
    close,
    start,
    dispose() {
      if (disposed)
        return
      disposed = true
      abandon.abort()
      client?.close()
      client = null
      releaseLock?.()
      channel.close()
    },
  }
}
