/**
 * The connection's state machine, after the WHATWG HTML standard's EventSource:
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 * Where the client is, is one `Phase`; what outlives an attempt, one `StreamRecord`; the decisions the
 * standard does not make are policy.ts's pure functions, which the transitions here apply. Steps that
 * follow the spec are tagged `[spec]`; departures are tagged `[NON-SPEC]` with their reason.
 */
import type { InternalOptions } from './options'
import type { EndContext, Floors, HoldReason, LastEventIdMode, Next, PageEvent, ResyncReason } from './policy'
import type { TokenRefresh } from './refresh'
import type { ReplayFilter } from './resume'
import type { RetryPolicy } from './retry'
import type { EventData, EventHandler, EventMap, EventSourceMessage, EventSourceOptions, EventSourceState, EventType, FetchLike, InferOutput, ParsedData, ParsedEvents, ParsedMessage, ParseFunction, ParserMap, RequestBody, StandardSchemaV1, TextEvents, UrlSource } from './types'
import { runAttempt } from './attempt'
import { lastEventIdRefusedMessage } from './diagnose'
import { createDispatcher } from './dispatch'
import { callSafely, EventSourceError, EventSourceOptionError, messageOf } from './errors'
import { resolveOptions } from './options'
import { createEventStreamParser } from './parse'
import { afterEnd, dueAfterHold, floorsOf, holdReason, nextLastEventIdMode, pageDecision, reconnection, retryDelay, sendsLastEventId } from './policy'
import { createTokenRefresh } from './refresh'
import { buildRequest, unsendableLastEventId } from './request'
import { createReplayFilter, resumeUrlOf } from './resume'
import { followPage, readPage } from './signals'
import { createStateStore } from './store'
import { startTimer } from './timer'
import { readToken } from './token'
import { CLOSED, CONNECTING, OPEN } from './types'

/** A fetch-based Server-Sent Events connection that knows nothing of Vue. */
export interface EventSourceClient<Data = string, Events extends EventMap = Record<never, never>> {
  /** The live state; `subscribe` tells when it changes. */
  readonly state: Readonly<EventSourceState>
  /** Connects, or reconnects at once with the attempt count reset. */
  open: () => void
  /** Closes for good: aborts the request and clears every timer and page listener. `open()` starts again. */
  close: () => void
  /** Calls `handler` with every event of `type`, in order; returns a function that removes it. */
  on: <K extends EventType<Events>>(type: K, handler: EventHandler<EventData<Events, K, Data>, K>) => () => void
  /** Calls `handler` with every event of every type (as the `onMessage` option does); returns a function that removes it. */
  listen: (handler: (message: EventSourceMessage<Data>) => void) => () => void
  /**
   * Calls `listener` after `readyState`, `error`, `attempt`, `retryDelay`/`retryAt` change, and after an
   * `id:` in a block without data changes `lastEventId` (messages carry their own `lastEventId`).
   */
  subscribe: (listener: (state: Readonly<EventSourceState>) => void) => () => void
}

/**
 * Where the client is. `closed`: nothing in flight, no page followed. `connecting`: an attempt's request is
 * in flight (the token read, the fetch, waiting for headers). `open`: its response is being read.
 * `waiting`: a reconnection is scheduled. `held`: the page says wait (offline, or hidden with
 * `pauseWhenHidden`). CONNECTING on the outside for the three between; a transition replaces the object,
 * so an attempt or a timer holding an old one knows it was retired.
 */
type Phase
  = | { readonly name: 'closed' }
    | { readonly name: 'connecting' | 'open', readonly controller: AbortController }
    | { readonly name: 'waiting', readonly timer: ReturnType<typeof setTimeout>, readonly due: number }
    | { readonly name: 'held', readonly reason: HoldReason }

/** What a request reads from the options: where, with which headers and body. */
interface RequestInputs {
  url: string | URL | null | undefined
  headers: HeadersInit | null | undefined
  body: RequestBody
}

/** What outlives an attempt. */
interface StreamRecord {
  /** [spec] the reconnection time the server set with `retry:`, or `null` while it has set none. */
  serverRetry: number | null
  /** [NON-SPEC] when the scheduled reconnection was due, and the part a `Retry-After` set: a hold never brings it forward. */
  floors: Floors
  /** [NON-SPEC] when the stream last gave a sign of life (a byte, or its opening), for onResync's gap. */
  lastSeen: number
  /** [NON-SPEC] whether a cross-origin attempt sends Last-Event-ID. */
  lastEventIdMode: LastEventIdMode
  /** [NON-SPEC] the token-refresh episode a 401 or 403 opens. */
  refresh: TokenRefresh
  /** [NON-SPEC] what a request that is not GET sends, as the first attempt after open() read it. */
  sent: RequestInputs | null
  /** [NON-SPEC] what was delivered, so that what a server sends again is not (one per open()). */
  replay: ReplayFilter
  /** Stops following the page; `null` while closed, or without page signals. */
  unfollowPage: (() => void) | null
}

/** A request ready to send, and what it carries. */
interface PreparedRequest {
  url: string
  init: RequestInit
  token: string | null
  /** The last event ID it carries, header or query parameter; '' for none. */
  lastEventId: string
  /** Whether it reads the rest of a run at its resume URL. */
  resuming: boolean
}

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init)

/** Reads a user getter; whatever it throws becomes a typed error naming the option. */
function read<T>(option: string, get: () => T): T {
  try {
    return get()
  }
  catch (error) {
    throw new EventSourceOptionError(option, __DEV__ ? `its getter threw: ${messageOf(error)}` : '')
  }
}

/**
 * Creates a client. It connects on `open()`; it reconnects as the HTML spec's EventSource does (server
 * `retry:`, `Last-Event-ID`, 204 stops), plus backoff, token refresh, heartbeat and the departures marked
 * `[NON-SPEC]`. Without `parse`, every event's `data` is its text.
 */
export function createEventSource<Data extends string = string, Events extends TextEvents<Events> = Record<never, never>>(
  url: UrlSource,
  options?: EventSourceOptions<Data> & { parse?: 'text' },
): EventSourceClient<Data, Events>
/** With a Standard Schema (Zod, Valibot, ArkType, …), `data` is the schema's output: each event's data is read as JSON and validated. */
export function createEventSource<Schema extends StandardSchemaV1, Events extends EventMap = Record<never, never>>(
  url: UrlSource,
  options: Omit<EventSourceOptions<InferOutput<Schema>>, 'parse'> & { parse: Schema },
): EventSourceClient<InferOutput<Schema>, Events>
/** With `parse: 'json'`, `data` is what you declare (`unknown` if you do not); with a function, what it returns. */
export function createEventSource<Data = unknown, Events extends EventMap = Record<never, never>>(
  url: UrlSource,
  options: EventSourceOptions<Data> & { parse: 'json' | ParseFunction<Data> },
): EventSourceClient<Data, Events>
/** With an object of parsers by event type, each type's `data` is its parser's return type; the others stay text. */
export function createEventSource<Parsers extends ParserMap>(
  url: UrlSource,
  options: EventSourceOptions<ParsedData<Parsers>> & { parse: Parsers },
): EventSourceClient<ParsedMessage<Parsers>, ParsedEvents<Parsers>>
export function createEventSource<Data, Events extends EventMap>(
  url: UrlSource,
  options: EventSourceOptions<Data> = {},
): EventSourceClient<Data, Events> {
  const { openFrom: _openFrom, ...client } = createClient<Data, Events>(url, options)
  return client
}

/**
 * `createEventSource` typed from its type arguments alone, for the package's own layers, which pass
 * options of a generic `Data` through (the public overloads infer `Data` from `parse`), with `openFrom`.
 */
export function createClient<Data, Events extends EventMap>(url: UrlSource, options: InternalOptions<Data> = {}): InternalClient<Data, Events> {
  const resolved = resolveOptions(options)
  const urlOf = typeof url === 'function' ? url : () => url
  const { state, update, subscribe } = createStateStore(resolved.lastEventId)
  const dispatcher = createDispatcher<Data, Events>(resolved.parse, report)
  if (resolved.onMessage)
    dispatcher.listen(resolved.onMessage)
  // The close data sentinels, or null when there are none (the usual case: no search per event).
  const closeData = resolved.closeData.length === 0 ? null : resolved.closeData
  // [NON-SPEC] the spec's EventSource knows no page; only a GET is ever held for a hidden page, since
  // holding aborts the request and a request that is not GET is never sent again by accident.
  const pauseWhenHidden = resolved.pauseWhenHidden && resolved.method === 'GET'
  const declaresEnd = closeData !== null || resolved.closeEvent !== undefined
  const { resume } = resolved

  /** Where the client is: one place, each case with what only it has. */
  let phase: Phase = { name: 'closed' }
  /** What outlives an attempt. */
  const record: StreamRecord = {
    serverRetry: null,
    floors: { notBefore: 0, serverNotBefore: 0 },
    lastSeen: Date.now(),
    lastEventIdMode: 'send',
    refresh: createTokenRefresh(typeof resolved.token === 'function'),
    sent: null,
    replay: createReplayFilter(),
    unfollowPage: null,
  }

  // [NON-SPEC] with `resume`, a request that is not GET starts a run and is never sent again, whatever
  // `reconnect` says: that tunes the resumes' backoff
  const firstRetry = resume !== null && resolved.method !== 'GET' ? null : resolved.retry
  /** Whether the next attempt reads the rest of a run at the resume URL its first response named. */
  const resumable = (): boolean => resume !== null && state.resumeUrl !== null
  /** The reconnection policy now: a run with a resume URL resumes by GET, as `resume` says. */
  const policyNow = (): RetryPolicy | null => resumable() ? resume!.policy : firstRetry

  /** Whether `controller`'s attempt is the one in flight: what it reports otherwise is ignored. */
  const current = (controller: AbortController): boolean => (phase.name === 'connecting' || phase.name === 'open') && phase.controller === controller

  /** Leaves the current phase for `next`: the attempt in flight is aborted, the timer cleared. */
  function enter(next: Phase): void {
    const left = phase
    // Committed first: whatever the abort sets off finds the client already in its new phase.
    phase = next
    if (left.name === 'connecting' || left.name === 'open')
      left.controller.abort()
    else if (left.name === 'waiting')
      clearTimeout(left.timer)
  }

  /** Publishes an error that leaves the connection as it is, and tells `onError`. */
  function report(error: EventSourceError): void {
    update({ error })
    callSafely(resolved.onError, error)
  }

  function cutOff(why: 'cut' | 'nothing'): EventSourceError {
    const end = resolved.closeEvent === undefined ? 'close data' : 'close event'
    return new EventSourceError('incomplete', __DEV__ ? why === 'cut' ? `The stream ended before its ${end}: cut off` : `The resume found nothing more of the run: its ${end} was not seen` : '')
  }

  // --- Transitions. Each opens with a guard on the phase, commits the next one, and tells subscribers
  // once, at its end. A callback that calls close() or open() wins: the guard of what follows fails.

  /** [spec] connect: CONNECTING and a new fetch, unless the page says to wait. */
  function connect(refreshToken = false): void {
    const reason = holdReason(readPage(resolved.signals), pauseWhenHidden)
    if (reason !== null)
      return hold(reason)
    const controller = new AbortController()
    enter({ name: 'connecting', controller })
    update({ readyState: CONNECTING, retryDelay: null, retryAt: null })
    if (current(controller))
      void attempt(controller, refreshToken)
  }

  /** [spec] announce the connection: OPEN, then the open callback. */
  async function announce(controller: AbortController, response: Response, url: string, sentLastEventId: boolean): Promise<void> {
    if (!current(controller))
      return
    phase = { name: 'open', controller }
    record.refresh.end()
    record.lastSeen = Date.now()
    const mode = record.lastEventIdMode
    record.lastEventIdMode = nextLastEventIdMode(mode, 'opened', sentLastEventId)
    let resumeUrl = state.resumeUrl
    let unresumable: EventSourceError | null = null
    if (resume !== null && resumeUrl === null) {
      // [NON-SPEC] the response that starts a run names where the rest of it can be read again
      try {
        resumeUrl = resumeUrlOf(resume, response, url)
      }
      catch (error) {
        unresumable = error as EventSourceError
      }
      if (resumeUrl === null)
        unresumable ??= new EventSourceError('resume', __DEV__ ? 'The response named no resume URL (resume.url gave none): a break of this run cannot be resumed' : '')
    }
    update({ readyState: OPEN, error: null, retryDelay: null, retryAt: null, resumeUrl })
    if (unresumable !== null && current(controller))
      report(unresumable)
    if (record.lastEventIdMode === 'blocked' && mode !== 'blocked' && current(controller)) {
      // Without the header it went through: the server's CORS refuses Last-Event-ID, and events may have
      // been missed. Said once; the header stays out until a network failure or open().
      report(new EventSourceError('last-event-id', __DEV__ ? lastEventIdRefusedMessage(new URL(url).origin) : ''))
    }
    if (current(controller))
      await resolved.onOpen?.(response)
  }

  /** [spec] reestablish the connection: report the failure, then wait the reconnection time and connect. */
  function reestablish(error: EventSourceError | null, retryAfter: number | null): void {
    const policy = policyNow()
    if (error !== null)
      record.refresh.end()
    if (policy === null)
      return error === null ? close() : fail(error)
    const from = phase
    if (error !== null) {
      report(error)
      if (phase !== from)
        return
    }
    const next = reconnection(policy, state.attempt, readPage(resolved.signals)?.online === false)
    if (next.then === 'hold')
      return hold('offline')
    if (next.then === 'give-up') {
      close({ attempt: next.attempt })
      callSafely(policy.onFailed, error)
      return
    }
    let delay: number
    try {
      delay = retryDelay({ policy, attempt: next.attempt, error, serverRetry: record.serverRetry, retryAfter })
    }
    catch (thrown) {
      return fail(thrown as EventSourceError)
    }
    // A delay function is the app's code too: one that called close() or open() wins.
    if (phase !== from)
      return
    record.floors = floorsOf(Date.now(), delay, retryAfter)
    armReconnection(next.attempt, delay, record.floors.notBefore)
  }

  /** CONNECTING, with the reconnection timer armed to connect in `delay` ms, at `due`. */
  function armReconnection(attempt: number, delay: number, due: number): void {
    // [NON-SPEC] the delay is capped at the longest a timer can wait (24.8 days), see timer.ts. The timer
    // is armed before subscribers hear of it, so that one calling close() clears it.
    const waiting: Phase = { name: 'waiting', due, timer: startTimer(() => phase === waiting && connect(), delay) }
    enter(waiting)
    update({ readyState: CONNECTING, attempt, retryDelay: delay, retryAt: due })
  }

  /** [spec] fail the connection: CLOSED, then the error is told; no reconnection. */
  function fail(error: EventSourceError): void {
    close({ error })
    callSafely(resolved.onError, error)
  }

  /** [NON-SPEC] hold, CONNECTING, until the page is online (or visible) again; nothing is counted. */
  function hold(reason: HoldReason): void {
    enter({ name: 'held', reason })
    update({ readyState: CONNECTING, retryDelay: null, retryAt: null })
  }

  /**
   * [NON-SPEC] the page no longer says to wait: connect, but no earlier than the reconnection that was
   * due. Coming back online may cut a plain backoff short, never a server's `Retry-After`.
   */
  function release(cameOnline: boolean): void {
    const due = dueAfterHold(record.floors, cameOnline)
    const delay = due - Date.now()
    // retryAt is the time it was due, exactly: not a millisecond later because the clock moved on
    if (delay > 0 && holdReason(readPage(resolved.signals), pauseWhenHidden) === null)
      return armReconnection(state.attempt, delay, due)
    connect()
  }

  /**
   * [NON-SPEC] resync: the page came back from a state in which the open connection may have died
   * unreported (bfcache, freeze, a long hide): replace it at once, resuming with Last-Event-ID, and tell
   * the app the gap, so an app whose server cannot resume can refetch what it missed.
   */
  function resync(reason: ResyncReason | 'gap', error: EventSourceError | null = null): void {
    const from = phase
    callSafely(resolved.onResync, { reason, gapMs: Date.now() - record.lastSeen, lastEventId: state.lastEventId })
    if (phase !== from)
      return
    if (error !== null)
      return fail(error)
    if (reason === 'gap') {
      // [NON-SPEC] what followed the last event ID is gone: go on from now, and forget the ids delivered
      record.replay.forget()
      update({ lastEventId: '' })
      if (phase !== from)
        return
    }
    connect()
  }

  /** [spec] close(): abort the fetch, CLOSED. Also stops following the page. */
  function close(patch: Partial<EventSourceState> = {}): void {
    enter({ name: 'closed' })
    record.unfollowPage?.()
    record.unfollowPage = null
    update({ readyState: CLOSED, retryDelay: null, retryAt: null, ...patch })
  }

  /**
   * Connects, or reconnects at once with the attempt count reset; from `lastEventId` when given ('' starts
   * afresh). [NON-SPEC] a request that is not GET sent by open() is a new stream (a new run): it carries the
   * `lastEventId` option, as the first did, never the last event ID of the stream before.
   */
  function open(lastEventId?: string, run?: RunState): void {
    if (lastEventId === undefined && run === undefined && resolved.method !== 'GET')
      lastEventId = resolved.lastEventId
    // Closed for the moment it takes to start again: a subscriber that calls close() or open() meanwhile wins.
    const opening: Phase = { name: 'closed' }
    enter(opening)
    const signals = resolved.signals
    record.unfollowPage ??= signals === undefined ? null : followPage(signals, onPage)
    record.floors = { notBefore: 0, serverNotBefore: 0 }
    record.sent = null
    record.lastEventIdMode = 'send'
    record.replay = createReplayFilter(run?.delivered)
    const resumeUrl = run?.resumeUrl ?? null
    update(lastEventId === undefined ? { attempt: 0, done: false, resumeUrl } : { attempt: 0, done: false, resumeUrl, lastEventId })
    if (phase !== opening)
      return
    record.refresh.end()
    connect()
  }

  /** A page change, applied as policy.ts decides. */
  function onPage(event: PageEvent): void {
    const decision = pageDecision(event, phase.name, phase.name === 'held' ? phase.reason : null, {
      pauseWhenHidden,
      resyncAfterHidden: resolved.resyncAfterHidden,
      replaceable: resolved.method === 'GET' || resumable(),
    })
    if (decision.then === 'resync')
      resync(decision.reason)
    else if (decision.then === 'hold')
      hold('hidden')
    else if (decision.then === 'release')
      release(decision.cameOnline)
  }

  // --- One attempt: its request, then its response read through the parser, then what follows.

  /** [spec] what the fetch of one attempt sends: a request, or how the attempt ends before it is sent. */
  async function prepareRequest(controller: AbortController, refreshToken: boolean): Promise<PreparedRequest | Next> {
    let token: string | null = null
    const resuming = resumable()
    try {
      // [NON-SPEC] a request that is not GET is read by the first attempt after open(); a retry (with
      // `reconnect` set) sends that same request again, never inputs changed since. A run with a resume
      // URL reads the rest there by GET, with the headers it was started with.
      const inputs = resuming
        ? { url: state.resumeUrl, headers: record.sent?.headers ?? read('headers', resolved.headers), body: undefined }
        : record.sent ?? { url: read('url', urlOf), headers: read('headers', resolved.headers), body: read('body', resolved.body) }
      if (resolved.method !== 'GET' && !resuming)
        record.sent = inputs
      if (inputs.url === null || inputs.url === undefined || inputs.url === '')
        return { then: 'close', done: false, clearError: false }
      token = await readToken(resolved.token, { refresh: refreshToken }, resolved.tokenTimeout, controller.signal)
      if (!current(controller))
        return { then: 'none' }
      const stale = refreshToken ? record.refresh.stale(token) : null
      if (stale)
        return { then: 'fail', error: stale }
      // A run replayed from its start needs none: what was delivered is skipped by count
      let lastEventId = resuming && resume!.fromStart ? '' : state.lastEventId
      const unsendable = unsendableLastEventId(lastEventId)
      if (unsendable !== null) {
        // [NON-SPEC] an id no request can carry would fail every reconnection the same way: resume
        // without it, and say that events may have been missed
        lastEventId = ''
        report(new EventSourceError('last-event-id', __DEV__ ? `The last event ID ${unsendable}: resuming without it, events may be missed` : ''))
        if (!current(controller))
          return { then: 'none' }
      }
      const request = buildRequest({
        url: inputs.url,
        method: resuming ? 'GET' : resolved.method,
        headers: inputs.headers,
        body: inputs.body,
        token,
        lastEventId,
        lastEventIdParam: resolved.lastEventIdParam,
        omitLastEventIdHeader: !resolved.lastEventIdHeader || !sendsLastEventId(record.lastEventIdMode),
        withCredentials: resolved.withCredentials,
      }, controller.signal)
      return { ...request, token, lastEventId, resuming }
    }
    catch (error) {
      if (!current(controller))
        return { then: 'none' }
      // A getter that fails is retried as policy says (a token getter may recover); bad input is final.
      const failure = error as EventSourceError
      return afterEnd({ kind: 'fail', error: failure, retryable: failure.type === 'token', retryAfter: null }, endContext(resuming, false, false))
    }
  }

  /** [spec] one attempt: its request, its response read through the parser, then what follows. */
  async function attempt(controller: AbortController, refreshToken: boolean): Promise<void> {
    const request = await prepareRequest(controller, refreshToken)
    if (!current(controller))
      return
    if ('then' in request)
      return proceed(request)
    // Whether this attempt carries Last-Event-ID: if CORS refuses it, the next leaves it out.
    const sentLastEventId = (request.init.headers as Headers).has('last-event-id')
    // Whether it carries a last event ID at all, header or query: a server sent none starts afresh.
    const carried = request.lastEventId !== '' && (sentLastEventId || resolved.lastEventIdParam !== undefined)
    const parser = createEventStreamParser({
      onEvent: (type, data, id) => deliver(controller, type, data, id),
      // [spec] a valid retry: field sets the event stream's reconnection time
      onRetry: (milliseconds) => {
        if (current(controller))
          record.serverRetry = milliseconds
      },
    }, resolved.maxEventSize)
    parser.reset(state.lastEventId)
    record.replay.begin(request.resuming && resume!.fromStart, state.lastEventId, carried)
    const end = await runAttempt(request.url, request.init, controller, {
      fetch: resolved.fetch ?? defaultFetch,
      heartbeatTimeout: resolved.heartbeatTimeout,
      connectTimeout: resolved.connectTimeout,
      opened: response => announce(controller, response, request.url, sentLastEventId),
      responded: resolved.onResponse,
      text: (text) => {
        record.lastSeen = Date.now()
        parser.feed(text)
        // An id: in a block without data commits a new last event ID without any message to carry it.
        if (current(controller) && parser.lastEventId !== state.lastEventId && !record.replay.dropping)
          update({ lastEventId: parser.lastEventId })
      },
    })
    if (!current(controller))
      return
    if (end.kind === 'fail' && (end.error.type === 'cors' || end.error.type === 'network'))
      record.lastEventIdMode = nextLastEventIdMode(record.lastEventIdMode, end.error.type, sentLastEventId)
    proceed(afterEnd(end, endContext(request.resuming, carried, end.kind === 'unauthorized' && record.refresh.refused(request.token, end.error))))
  }

  /** What `afterEnd` knows of an attempt besides how it ended. */
  function endContext(resuming: boolean, carried: boolean, freshTokenAllowed: boolean): EndContext {
    return {
      method: resuming ? 'GET' : resolved.method,
      retry: policyNow(),
      declaresEnd,
      freshTokenAllowed,
      cutOff,
      sentLastEventId: carried,
      resuming,
      resumable: resumable(),
      fresh: record.replay.fresh,
    }
  }

  /** Applies what follows an attempt. */
  function proceed(next: Next): void {
    if (next.then === 'close')
      close(next.clearError ? { error: null, done: next.done } : { done: next.done })
    else if (next.then === 'fail')
      fail(next.error)
    else if (next.then === 'refresh')
      connect(true)
    else if (next.then === 'reconnect')
      reestablish(next.error, next.retryAfter)
    else if (next.then === 'gap')
      resync('gap', next.error)
  }

  /**
   * [spec] dispatch the event, from the attempt in flight only. [NON-SPEC] the close event and the close
   * data are control messages, not data: they end the stream for good, `done`; only the close event's
   * own handlers hear of it, with its raw text.
   */
  function deliver(controller: AbortController, type: string, raw: string, lastEventId: string): void {
    if (!current(controller))
      return
    const control = type === resolved.closeEvent || (closeData !== null && closeData.includes(raw))
    // [NON-SPEC] what a server sends again (a replay from the start, or from an older id) is dropped
    if (!control && !record.replay.admit(lastEventId))
      return
    // Stored only when it changed: a stream without ids (most are) writes nothing per event
    state.lastEventId = lastEventId
    // The rarer steps are calls, so that V8 inlines the whole path from the parser to the handlers: over
    // its inlining budget, the dispatcher's look-up and hand-out were calls (~7% of the core's time on
    // 100,000 small events in Chromium).
    if ((state.attempt !== 0 || type === resolved.resetEvent) && !catchUp(controller, type, lastEventId))
      return
    if (control)
      end(controller, type, raw, lastEventId)
    else
      dispatcher.deliver(type, raw, lastEventId)
  }

  /** An attempt's first event resets the attempt count; the reset event, the ids delivered. Whether the attempt is still in flight. */
  function catchUp(controller: AbortController, type: string, lastEventId: string): boolean {
    if (state.attempt !== 0) {
      update({ attempt: 0 })
      if (!current(controller))
        return false
    }
    if (type === resolved.resetEvent) {
      // [NON-SPEC] the server says events were lost: the app may refetch; the ids it knew are forgotten
      record.replay.forget()
      callSafely(resolved.onResync, { reason: 'gap', gapMs: 0, lastEventId })
    }
    return current(controller)
  }

  /** [NON-SPEC] a control message ends the stream, `done`; the close event's own handlers hear of it first. */
  function end(controller: AbortController, type: string, raw: string, lastEventId: string): void {
    if (type === resolved.closeEvent) {
      dispatcher.deliverControl(type, raw, lastEventId)
      if (!current(controller))
        return
    }
    close({ done: true })
  }

  return { state, open: () => open(), openFrom: open, close: () => close(), on: dispatcher.on, listen: dispatcher.listen, subscribe }
}

/**
 * A source of events as the package's own layers use it (a client, a connection shared across tabs):
 * with `dataOf`, a listener reads `data` only for those types; the others arrive unparsed (`data`
 * undefined), so a type nobody reads never fails to parse.
 */
export interface Source<Data, Events extends EventMap> extends Omit<EventSourceClient<Data, Events>, 'listen'> {
  listen: (handler: (message: EventSourceMessage<Data>) => void, dataOf?: readonly string[]) => () => void
}

/** A run taken over where another connection left it (a tab that leaves): where to resume, and how many events it delivered. */
export interface RunState {
  resumeUrl: string
  delivered: number
}

/**
 * The client as the package's own layers see it: `openFrom` opens from a given last event ID, and,
 * given a run, reads the rest of it at its resume URL instead of starting one.
 */
export interface InternalClient<Data, Events extends EventMap> extends Source<Data, Events> {
  openFrom: (lastEventId: string, run?: RunState) => void
}
