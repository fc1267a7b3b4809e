import type { CLOSED as Closed, EventMap, EventSourceError, EventSourceHttpError, EventSourceOptionError, EventSourceState, PageSignals } from '../core/index'
import type { createDispatcher, createReplayFilter, createStateStore, InternalClient, Source } from '../core/internal'

// This module imports nothing at run time: useSharedEventSource.ts loads it on first use of
// `shareAcrossTabs`, and a chunk with no imports of its own stays one chunk in every bundler (Rolldown
// would split the core modules it shares with the entry into a third chunk, and esbuild without code
// splitting would wrap them in lazy initializers, in every app that imports the main entry). The caller
// hands it the core's parts.
const CLOSED: typeof Closed = 2

/** The core's error classes, handed over by the caller. */
export interface ErrorClasses {
  EventSourceError: typeof EventSourceError
  EventSourceHttpError: typeof EventSourceHttpError
  EventSourceOptionError: typeof EventSourceOptionError
}

/** How this tab takes part in a stream shared across tabs. */
export type CrossTabRole = 'off' | 'leader' | 'follower' | 'unavailable'

/** Web Locks, as `navigator.locks` has them. */
export interface LockManager {
  request: (name: string, options: { signal?: AbortSignal, steal?: boolean, ifAvailable?: boolean }, callback: (lock: unknown) => Promise<void> | void) => Promise<unknown>
}

// The leader says it is alive this often; a started leader silent for SILENT_AFTER ms (a hung or frozen
// tab) is taken over by a follower.
// Checked every ALIVE_EVERY ms, a frozen leader is noticed within SILENT_AFTER + ALIVE_EVERY ms of its last
// word (2.5 s), and its followers hear the next leader's stream within 3 s (docs/guide/shared.md).
const ALIVE_EVERY = 500
const SILENT_AFTER = 2000
// A follower taking over holds a second lock this long, so that another follower finding the same leader
// silent at the same moment (before it hears the new one) does not take over too: one new connection.
const TAKEOVER_HOLD = 1000

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

/**
 * What tabs tell each other. The leader sends state, events and a liveness signal, each stamped with its
 * leadership epoch `e` (a newer leader has a larger one); followers ask. Tokens never cross.
 */
type Wire
  = | { t: 'state', e: number, state: WireState, started: boolean, errorSeq: number, hidden: boolean }
    | { t: 'event', e: number, type: string, raw: string, id: string, n: number }
    | { t: 'alive', e: number, hidden: boolean }
    | { t: 'lead', e: number, from: string }
    | { t: 'hello' }
    | { t: 'start' }
    | { t: 'open' }
    | { t: 'close' }

function toWire(error: EventSourceError, { EventSourceHttpError, EventSourceOptionError }: ErrorClasses): WireError {
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

/** The leader's error, as it saw it: the same class, fields and message (the constructors would prefix it again). */
function fromWire(wire: WireError, { EventSourceError, EventSourceHttpError, EventSourceOptionError }: ErrorClasses): EventSourceError {
  const error = wire.type === 'http-status' && wire.status !== undefined
    ? new EventSourceHttpError(wire.status, wire.retryAfter ?? null)
    : wire.type === 'invalid-option'
      ? new EventSourceOptionError(wire.option ?? 'unknown', '')
      : new EventSourceError(wire.type, '', { contentType: wire.contentType, limit: wire.limit })
  error.message = wire.message
  return error
}

/** A source for one stream, shared by every tab of this origin that uses the same key. */
export interface CrossTabSource<Data, Events extends EventMap> extends Source<Data, Events> {
  /** Opens the shared connection unless some tab has started it already. */
  start: () => void
  /** Leaves: a leader hands the connection to the next tab; a follower stops listening. */
  dispose: () => void
}

export interface CrossTabSetup<Data, Events extends EventMap> {
  /** Names the lock and the channel; tabs with the same key share. */
  key: string
  /** This page's Web Locks (the caller found them, and BroadcastChannel, with `canShareAcrossTabs`). */
  locks: LockManager
  /**
   * This tab's state and handlers, made by the caller before this module had loaded (it loads on first
   * use): its subscribers follow them from the start. The store starts from the last event ID to resume from.
   */
  store: ReturnType<typeof createStateStore>
  /** Parses raw event data as this tab's callers need (each tab parses for itself), and calls their handlers. */
  dispatcher: ReturnType<typeof createDispatcher<Data, Events>>
  /**
   * The ids this tab delivered (the client's replay window, 1000): after a hand-over it drops what the new
   * leader sends again that it already had, up to the first new event. A leader that hung and wakes may
   * have delivered hundreds of events from its own buffered stream before it hears it was replaced.
   */
  replay: ReturnType<typeof createReplayFilter>
  /** The core's error classes: a follower rebuilds the leader's errors as the same classes. */
  errors: ErrorClasses
  /** Makes the real connection, delivering raw text, when this tab becomes the leader. */
  connect: (lastEventId: string) => InternalClient<string, Record<never, never>>
  /** Whether the request is sent once (not GET): a new leader reads the rest of its run at the resume URL, or nothing. */
  sendsOnce: boolean
  /** Told when this tab becomes a follower or the leader. */
  onRole: (role: 'leader' | 'follower') => void
  /** This page's visibility. @default always visible */
  signals?: PageSignals
  /** With it, a visible tab takes the connection over from a hidden leader, so no visible tab goes blind. @default false */
  pauseWhenHidden?: boolean
}

/**
 * One tab holds the connection, elected with a Web Lock; it relays every event and state change over a
 * BroadcastChannel. When it leaves (or crashes, which frees the lock), the next tab in the lock's queue
 * connects, resuming from the last event ID it has seen, so nothing is lost or repeated.
 *
 * A follower steals the lock (Web Locks `steal`) when the leader has been silent for `SILENT_AFTER` ms
 * while started (its main thread hangs, or the OS froze it), or, with `pauseWhenHidden`, when this tab
 * is visible and the leader is hidden. The new leader announces a newer epoch: every tab ignores what an
 * older leader still sends, and the old leader steps down without reconnecting. Followers skip the
 * events the new leader sends again that they already had. A hand-over never shows CLOSED, and a stream
 * that ended in the last leader's hands (a run's end, a failure) is not opened again by the next.
 */
export function createCrossTabSource<Data, Events extends EventMap>(setup: CrossTabSetup<Data, Events>): CrossTabSource<Data, Events> {
  const { locks, store, dispatcher, replay, errors } = setup
  const name = `vue-event-source:${setup.key}`
  const channel = new BroadcastChannel(name)
  const signals = setup.signals
  const isHidden = (): boolean => signals?.hidden() === true
  // This tab's place in the lock's queue (aborted when it steals or leaves), and the request it leads by.
  let queued: AbortController | null = null
  let client: InternalClient<string, Record<never, never>> | null = null
  let started = false
  let disposed = false
  let releaseLock: (() => void) | null = null
  // The newest leadership epoch this tab knows of (its own while it leads).
  let epoch = 0
  // When a leader last spoke, and whether it said its tab is hidden.
  let lastHeard = Date.now()
  let leaderHidden = false
  // Events the stream delivered since it was opened, as its leader counts them (a tab that joined mid-run
  // heard fewer): a new leader resuming a run from its start skips as many.
  let delivered = 0
  // Whether the leader said the stream it held ended on its own (CLOSED while started: a run's end, a failure).
  let ended = false
  // The leader numbers its errors so followers rebuild each one once and keep its identity.
  let errorSeq = 0
  let sentError: EventSourceError | null = null
  let seenErrorSeq = 0

  const post = (message: Wire): void => channel.postMessage(message)

  function relayState(): void {
    if (client === null)
      return
    // What this tab's own subscribers see, not its connection's state: a run that ended in the last
    // leader's hands (done), or a POST it cannot take over (incomplete), is not its connection's to tell.
    const state = store.state
    if (state.error !== sentError) {
      sentError = state.error
      errorSeq++
    }
    post({ t: 'state', e: epoch, state: { ...state, error: state.error === null ? null : toWire(state.error, errors) }, started, errorSeq, hidden: isHidden() })
  }

  function deliver(type: string, raw: string, id: string, n: number): void {
    // As in the client: the message carries the new last event ID, subscribers are not told separately.
    store.state.lastEventId = id
    delivered = n
    dispatcher.deliver(type, raw, id)
  }

  /** A run starts (its resume URL named) or a new one is opened (forgotten): its count starts again. */
  function countRun(state: { resumeUrl: string | null }): void {
    if (state.resumeUrl !== store.state.resumeUrl)
      delivered = 0
  }

  /** Joins the lock's queue, or with `steal` takes the lock from the leader at once. */
  function queue(steal = false): void {
    queued?.abort()
    const request = new AbortController()
    queued = request
    // Web Locks refuse a signal together with steal.
    locks.request(name, steal ? { steal: true } : { signal: request.signal }, () => {
      if (disposed || queued !== request)
        return
      return new Promise<void>((resolve) => {
        releaseLock = resolve
        lead()
      })
    }).catch(() => {
      // Aborted before its turn came, or (while leading) stolen by a follower: step down.
      if (queued === request && client !== null)
        stepDown()
    })
  }

  function lead(): void {
    // Another tab led before: this one takes over a stream that may already be under way.
    const handOver = epoch > 0
    epoch = Math.max(epoch + 1, Date.now())
    // Its client drops what its own stream replays; here the window only records.
    replay.begin(false, '', false)
    post({ t: 'lead', e: epoch, from: store.state.lastEventId })
    const leading = setup.connect(store.state.lastEventId)
    client = leading
    // Raw text only: every tab parses for itself, as its own callers need.
    leading.listen((message) => {
      if (client !== leading)
        return
      post({ t: 'event', e: epoch, type: message.event, raw: message.raw, id: message.lastEventId, n: delivered + 1 })
      replay.admit(message.lastEventId)
      deliver(message.event, message.raw, message.lastEventId, delivered + 1)
    }, [])
    let connectionError = leading.state.error
    const onState = (state: Readonly<EventSourceState>): void => {
      // A retired leader's connection (closing as it steps down or leaves) tells no one.
      if (client !== leading)
        return
      // Keep this tab's own data errors (parse, handler) until the connection reports a new error of its own.
      const error = state.error === connectionError ? store.state.error : (connectionError = state.error)
      countRun(state)
      store.update({ ...state, error })
      relayState()
    }
    setup.onRole('leader')
    const { resumeUrl, lastEventId, readyState } = store.state
    if (!started || ended) {
      // Not asked for yet; or the stream ended in the last leader's hands, which would not have opened it
      // again: nor does this tab (a POST would start a second run).
    }
    else if (resumeUrl !== null) {
      // [NON-SPEC] a run: the rest is read at its resume URL, never by sending its first request again
      leading.openFrom(lastEventId, { resumeUrl, delivered })
    }
    else if (handOver && setup.sendsOnce && readyState !== CLOSED) {
      // A POST under way with no resume URL cannot be taken over without sending it again: it ends here.
      store.update({ readyState: CLOSED, error: new errors.EventSourceError('incomplete', __DEV__ ? 'The tab that read this stream left before its end, and a request that is not GET is not sent again (set `resume` to read the rest)' : '') })
    }
    else {
      leading.open()
    }
    // Heard from here on: a client opening is CLOSED for a moment (taking a run's resume URL), which a
    // hand-over never shows.
    leading.subscribe(onState)
    if (leading.state.readyState !== CLOSED)
      onState(leading.state)
    else
      relayState()
  }

  /** Stops leading without a word of CLOSED: another tab holds (or is taking) the connection. */
  function stepDown(): void {
    const retired = client
    client = null
    releaseLock?.()
    releaseLock = null
    retired?.close()
    lastHeard = Date.now()
    setup.onRole('follower')
    if (!disposed)
      queue()
  }

  /** A follower's look at the leader: take over from a silent one, or (visible) from a hidden one. */
  function watchLeader(): void {
    if (disposed || client !== null || !started)
      return
    const silent = Date.now() - lastHeard > SILENT_AFTER
    if (silent || (setup.pauseWhenHidden === true && leaderHidden && !isHidden())) {
      lastHeard = Date.now()
      locks.request(`${name}:takeover`, { ifAvailable: true }, (lock) => {
        // Another follower is taking over right now: hear it instead.
        if (lock === null || disposed || client !== null)
          return
        queue(true)
        return new Promise<void>(resolve => setTimeout(resolve, TAKEOVER_HOLD))
      }).catch(() => {})
    }
  }

  const watcher = setInterval(() => {
    if (client !== null)
      post({ t: 'alive', e: epoch, hidden: isHidden() })
    else
      watchLeader()
  }, ALIVE_EVERY)
  const unsubscribeSignals = signals?.subscribe(() => {
    if (client !== null)
      post({ t: 'alive', e: epoch, hidden: isHidden() })
    else
      watchLeader()
  })

  channel.onmessage = (event: MessageEvent<Wire>) => {
    const message = event.data
    if (disposed)
      return
    if ('e' in message) {
      // What an older leader still sends (it hung, or has not yet heard it was replaced) is ignored.
      if (message.e < epoch)
        return
      if (message.e > epoch) {
        epoch = message.e
        if (client !== null)
          stepDown()
      }
      lastHeard = Date.now()
    }
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
    if (message.t === 'lead') {
      // The new leader resumes after `from`; what this tab had beyond it will come again: drop it.
      replay.begin(false, message.from, message.from !== store.state.lastEventId)
    }
    else if (message.t === 'alive') {
      leaderHidden = message.hidden
    }
    else if (message.t === 'state') {
      started = message.started
      ended = started && message.state.readyState === CLOSED
      leaderHidden = message.hidden
      let error = store.state.error
      if (message.errorSeq !== seenErrorSeq) {
        seenErrorSeq = message.errorSeq
        error = message.state.error === null ? null : fromWire(message.state.error, errors)
      }
      countRun(message.state)
      store.update({ ...message.state, error })
    }
    else if (message.t === 'event') {
      if (!replay.admit(message.id))
        return
      deliver(message.type, message.raw, message.id, message.n)
    }
  }

  queue()
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

  // Asked for (or not) here too, as start() is: a tab that leads nobody yet (its lock not granted, no
  // other tab to hear it) opens the connection when it comes to lead, instead of losing the request.
  function open(): void {
    started = true
    if (client === null)
      return post({ t: 'open' })
    client.open()
  }

  function close(): void {
    started = false
    if (client === null)
      return post({ t: 'close' })
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
      clearInterval(watcher)
      unsubscribeSignals?.()
      queued?.abort()
      // Cleared first, so that the connection closing tells the other tabs nothing: the next tab in the
      // lock's queue takes over, and followers never see CLOSED during the hand-over.
      const retired = client
      client = null
      retired?.close()
      releaseLock?.()
      channel.close()
    },
  }
}
