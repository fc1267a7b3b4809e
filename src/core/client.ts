/**
 * The connection's state machine, after the WHATWG HTML standard's EventSource:
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 * Steps that follow the spec are tagged `[spec]`; departures are tagged `[NON-SPEC]` with their reason.
 */
import type { AttemptEnd } from './attempt'
import type { LastEventIdMode } from './policy'
import type { WaitReason } from './signals'
import type { EventData, EventHandler, EventMap, EventSourceMessage, EventSourceOptions, EventSourceState, EventType, FetchLike, ParsedData, ParsedEvents, ParsedMessage, ParseFunction, ParserMap, RequestBody, ResyncInfo, TextEvents, UrlSource } from './types'
import { runAttempt } from './attempt'
import { lastEventIdRefusedMessage } from './diagnose'
import { createDispatcher } from './dispatch'
import { callSafely, EventSourceError, EventSourceOptionError, messageOf } from './errors'
import { resolveOptions } from './options'
import { createEventStreamParser } from './parse'
import { nextLastEventIdMode, sendsLastEventId } from './policy'
import { createTokenRefresh } from './refresh'
import { buildRequest, unsendableLastEventId } from './request'
import { retryable, retryDelay } from './retry'
import { createSignalGate } from './signals'
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
  /**
   * Calls `handler` with every event of every type (as the `onMessage` option does); returns a function
   * that removes it. With `dataOf`, the handler reads `data` only for those types: the others arrive
   * unparsed (`data` undefined), so a type nobody reads never fails to parse.
   */
  listen: (handler: (message: EventSourceMessage<Data>) => void, dataOf?: readonly string[]) => () => void
  /**
   * Calls `listener` after `readyState`, `error`, `attempt`, `retryDelay`/`retryAt` change, and after an
   * `id:` in a block without data changes `lastEventId` (messages carry their own `lastEventId`).
   */
  subscribe: (listener: (state: Readonly<EventSourceState>) => void) => () => void
}

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init)

/** Reads a user getter; whatever it throws becomes a typed error naming the option. */
function read<T>(option: string, get: () => T): T {
  try {
    return get()
  }
  catch (error) {
    throw new EventSourceOptionError(option, process.env.NODE_ENV !== 'production' ? `its getter threw: ${messageOf(error)}` : '')
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
  const resolved = resolveOptions(options)
  const urlOf = typeof url === 'function' ? url : () => url
  const store = createStateStore(resolved.lastEventId)
  const { state, update } = store
  // Numbers the attempts: anything an attempt reports after it was aborted or replaced is ignored.
  let generation = 0
  // Aborts the attempt in flight (its request, its token getter, its watchdog); `null` between attempts.
  let controller: AbortController | null = null
  // The scheduled reconnection; `undefined` when none is scheduled.
  let timer: ReturnType<typeof setTimeout> | undefined
  // [spec] the reconnection time the server set with `retry:`, or `null` while it has set none.
  let serverRetry: number | null = null
  // [NON-SPEC] when the scheduled reconnection was due (`Date.now()`): a floor that survives a pause
  // (page hidden, network down), so that a pause never brings the next attempt forward.
  let notBefore = 0
  // The part of that floor a server's `Retry-After` set: coming back online may cut a plain backoff
  // short, never this.
  let serverNotBefore = 0
  // [NON-SPEC] across origins, whether the next attempt sends Last-Event-ID (see policy.ts).
  let lastEventIdMode: LastEventIdMode = 'send'
  // [NON-SPEC] when the stream last gave a sign of life (a byte, or its opening), for onResync's gap.
  let lastSeen = Date.now()
  // What a request that is not GET sends, as the first attempt after open() read it; `null` for GET.
  let sentInputs: { url: ReturnType<typeof urlOf>, headers: HeadersInit | null | undefined, body: RequestBody } | null = null

  const refresh = createTokenRefresh(typeof resolved.token === 'function')
  // [NON-SPEC] the spec's EventSource knows no page; a paused request is only ever a GET (never re-send a POST)
  const gate = createSignalGate(resolved.signals, resolved.pauseWhenHidden && resolved.method === 'GET', waitForPage, resume, () => timer !== undefined, revive, resolved.resyncAfterHidden)

  const dispatcher = createDispatcher<Data, Events>(resolved.parse, reportError)
  // The close data sentinels, or null when there are none (the usual case: no search per event)
  const closeData = resolved.closeData.length === 0 ? null : resolved.closeData
  // Whether the app said how the stream ends: then a stream that ends without it was cut off.
  const declaresEnd = closeData !== null || resolved.closeEvent !== undefined
  if (resolved.onMessage)
    dispatcher.listen(resolved.onMessage)

  /** Publishes an error that leaves the connection as it is, and tells `onError`. */
  function reportError(error: EventSourceError): void {
    update({ error })
    callSafely(resolved.onError, error)
  }

  /** [spec] "dispatch the event": delivered only while its attempt is current. */
  function dispatchEvent(gen: number, type: string, raw: string, lastEventId: string): void {
    if (gen !== generation)
      return
    // Stored only when it changed: a stream without ids (most are) writes nothing per event
    state.lastEventId = lastEventId
    if (state.attempt !== 0) {
      update({ attempt: 0 })
      // Here and after every call out to user code: a callback that called close() or open() wins.
      if (gen !== generation)
        return
    }
    // [NON-SPEC] the close event and the close data are control messages, not data: they end the
    // stream for good; only the close event's own handlers hear of it, with its raw text
    if (type === resolved.closeEvent) {
      dispatcher.deliverControl(type, raw, lastEventId)
      if (gen === generation)
        closeConnection({ done: true })
    }
    else if (closeData !== null && closeData.includes(raw)) {
      closeConnection({ done: true })
    }
    else {
      dispatcher.deliver(type, raw, lastEventId)
    }
  }

  /** Retires the attempt in flight and the reconnection timer; anything they report later is ignored. */
  function abortAttempt(): void {
    generation++
    clearTimeout(timer)
    timer = undefined
    controller?.abort()
    controller = null
    gate.waitFor(null)
  }

  /** [spec] close(): abort any instance of fetch, set readyState to CLOSED. Also stops the page listeners. */
  function closeConnection(patch: Partial<EventSourceState> = {}): void {
    abortAttempt()
    gate.stop()
    update({ readyState: CLOSED, retryDelay: null, retryAt: null, ...patch })
  }

  /** [spec] "fail the connection": readyState CLOSED, then the error is told; no reconnection. */
  function failConnection(error: EventSourceError): void {
    closeConnection({ error })
    callSafely(resolved.onError, error)
  }

  /** [NON-SPEC] waits, CONNECTING, for the page to be online (or visible) again before the next attempt. */
  function waitForPage(reason: WaitReason): void {
    abortAttempt()
    gate.waitFor(reason)
    update({ readyState: CONNECTING, retryDelay: null, retryAt: null })
  }

  /** [spec] "reestablish the connection": CONNECTING, wait the reconnection time, then connect again. */
  function scheduleReconnect(error: EventSourceError | null, retryAfter: number | null): void {
    const policy = resolved.retry
    if (policy === null)
      return error === null ? closeConnection() : failConnection(error)
    const gen = generation
    if (error !== null) {
      reportError(error)
      if (gen !== generation)
        return
    }
    // [NON-SPEC] while offline, failures are not counted: the next attempt waits for the network to return
    if (gate.blocked() === 'offline')
      return waitForPage('offline')
    const attempt = state.attempt + 1
    // [NON-SPEC] the spec retries forever; a policy may give up after `retries` consecutive failures
    if (attempt > policy.retries) {
      closeConnection({ attempt })
      callSafely(policy.onFailed, error)
      return
    }
    let delay: number
    try {
      delay = retryDelay({ policy, attempt, error, serverRetry, retryAfter })
    }
    catch (thrown) {
      return failConnection(thrown as EventSourceError)
    }
    // A delay function is user code too: one that called close() or open() wins.
    if (gen !== generation)
      return
    const now = Date.now()
    notBefore = now + delay
    serverNotBefore = retryAfter === null ? 0 : now + retryAfter
    wait(attempt, delay, notBefore)
  }

  /** CONNECTING for `delay` ms, then the next attempt, due at `at`. */
  function wait(attempt: number, delay: number, at = Date.now() + delay): void {
    abortAttempt()
    // The timer is set before subscribers hear of it, so that one calling close() clears it.
    // [NON-SPEC] the delay is capped at the longest a timer can wait (24.8 days), see timer.ts
    timer = startTimer(startAttempt, delay)
    update({ readyState: CONNECTING, attempt, retryDelay: delay, retryAt: at })
  }

  /**
   * [NON-SPEC] the page came back from a state in which a connection may die unreported (bfcache,
   * freeze, a long hide): an OPEN connection is replaced at once, resuming with Last-Event-ID, and the
   * app is told the gap. A client that is closed, or already connecting (its next connection resumes
   * anyway), is left as it is: a restore that fires both `resume` and `pageshow` replaces it once.
   */
  function revive(reason: ResyncInfo['reason']): void {
    if (state.readyState !== OPEN)
      return
    const gen = generation
    callSafely(resolved.onResync, { reason, gapMs: Date.now() - lastSeen, lastEventId: state.lastEventId })
    if (gen === generation)
      startAttempt()
  }

  /**
   * [NON-SPEC] the page no longer says to wait: connect, but no earlier than the reconnection that was
   * due. Coming back online may cut a plain backoff short, never a server's `Retry-After`.
   */
  function resume(cameOnline: boolean): void {
    const due = cameOnline ? serverNotBefore : notBefore
    const delay = due - Date.now()
    // retryAt is the time it was due, exactly: not a millisecond later because the clock moved on
    if (delay > 0 && gate.blocked() === null)
      return wait(state.attempt, delay, due)
    startAttempt()
  }

  /** Decides what follows an attempt that ended, by how it ended. */
  function onAttemptEnd(end: AttemptEnd, token: string | null): void {
    controller = null
    switch (end.kind) {
      case 'ended':
        // [NON-SPEC] the app declared how the stream ends (closeData, closeEvent) and it ended without
        // it: the answer was cut off, a break like any other, never a complete answer
        if (declaresEnd)
          return onAttemptEnd({ kind: 'fail', error: new EventSourceError('incomplete', process.env.NODE_ENV !== 'production' ? `The stream ended before its ${resolved.closeEvent === undefined ? 'close data' : 'close event'}: cut off` : ''), retryable: true, retryAfter: null }, token)
        // [spec] when the stream ends, reestablish the connection. [NON-SPEC] a non-GET request is
        // complete instead: its stream was the answer to one request, never re-sent by accident
        return resolved.method === 'GET' ? scheduleReconnect(null, null) : closeConnection({ done: true })
      case 'stop':
        // [spec] 204 No Content: fail the connection, no reconnection. [NON-SPEC] no error: the server
        // stopped on purpose, so an error left from an earlier attempt is cleared too
        return closeConnection({ error: null, done: true })
      case 'unauthorized':
        if (refresh.refused(token, end.error))
          return startAttempt(true)
        return failConnection(end.error)
      case 'fail':
        if (!retryable(resolved.retry, end))
          return failConnection(end.error)
        refresh.end()
        return scheduleReconnect(end.error, end.retryAfter)
      case 'aborted':
    }
  }

  /** [spec] the fetch of one attempt: the request, then the response's body read through the parser. */
  async function performAttempt(gen: number, refreshToken: boolean): Promise<void> {
    const attemptController = new AbortController()
    controller = attemptController
    let request: ReturnType<typeof buildRequest>
    let token: string | null = null
    try {
      // [NON-SPEC] a request that is not GET is read by the first attempt after open(); a retry (with
      // `reconnect` set) sends that same request again, never inputs changed since
      const inputs = sentInputs ?? { url: read('url', urlOf), headers: read('headers', resolved.headers), body: read('body', resolved.body) }
      if (resolved.method !== 'GET')
        sentInputs = inputs
      const target = inputs.url
      if (target === null || target === undefined || target === '')
        return closeConnection()
      token = await readToken(resolved.token, { refresh: refreshToken }, resolved.tokenTimeout, attemptController.signal)
      if (gen !== generation)
        return
      const stale = refreshToken && refresh.stale(token)
      if (stale)
        return failConnection(stale)
      let lastEventId = state.lastEventId
      const unsendable = unsendableLastEventId(lastEventId)
      if (unsendable !== null) {
        // [NON-SPEC] an id no request can carry would fail every reconnection the same way: resume
        // without it, and say that events may have been missed
        lastEventId = ''
        reportError(new EventSourceError('last-event-id', process.env.NODE_ENV !== 'production' ? `The last event ID ${unsendable}: resuming without it, events may be missed` : ''))
        if (gen !== generation)
          return
      }
      request = buildRequest({
        url: target,
        method: resolved.method,
        headers: inputs.headers,
        body: inputs.body,
        token,
        lastEventId,
        lastEventIdParam: resolved.lastEventIdParam,
        omitLastEventIdHeader: !resolved.lastEventIdHeader || !sendsLastEventId(lastEventIdMode),
        withCredentials: resolved.withCredentials,
      }, attemptController.signal)
      if (gen !== generation)
        return
    }
    catch (error) {
      if (gen !== generation)
        return
      const failure = error as EventSourceError
      return onAttemptEnd({ kind: 'fail', error: failure, retryable: failure.type === 'token', retryAfter: null }, token)
    }
    // Whether this attempt carries Last-Event-ID: if CORS refuses it, the next leaves it out.
    const sentLastEventId = (request.init.headers as Headers).has('last-event-id')
    const parser = createEventStreamParser({
      onEvent: (type, data, id) => dispatchEvent(gen, type, data, id),
      onRetry: (milliseconds) => {
        // [spec] a valid retry: field sets the event stream's reconnection time
        if (gen === generation)
          serverRetry = milliseconds
      },
    }, resolved.maxEventSize)
    parser.reset(state.lastEventId)
    const end = await runAttempt(request.url, request.init, attemptController, {
      fetch: resolved.fetch ?? defaultFetch,
      heartbeatTimeout: resolved.heartbeatTimeout,
      connectTimeout: resolved.connectTimeout,
      opened: async (response) => {
        if (gen !== generation)
          return
        refresh.end()
        lastSeen = Date.now()
        // [spec] "announce the connection": readyState OPEN, then the open callback
        update({ readyState: OPEN, error: null, retryDelay: null, retryAt: null })
        const mode = lastEventIdMode
        lastEventIdMode = nextLastEventIdMode(mode, 'opened', sentLastEventId)
        if (lastEventIdMode === 'blocked' && mode !== 'blocked' && gen === generation) {
          // Without the header it went through: the server's CORS refuses Last-Event-ID, and events may
          // have been missed. Said once; the header stays out until a network failure or open().
          reportError(new EventSourceError('last-event-id', process.env.NODE_ENV !== 'production' ? lastEventIdRefusedMessage(new URL(request.url).origin) : ''))
        }
        if (gen === generation)
          await resolved.onOpen?.(response)
      },
      text: (text) => {
        lastSeen = Date.now()
        parser.feed(text)
        // An id: in a block without data commits a new last event ID without any message to carry it.
        if (gen === generation && parser.lastEventId !== state.lastEventId)
          update({ lastEventId: parser.lastEventId })
      },
    })
    if (gen !== generation)
      return
    if (end.kind === 'fail' && (end.error.type === 'cors' || end.error.type === 'network'))
      lastEventIdMode = nextLastEventIdMode(lastEventIdMode, end.error.type, sentLastEventId)
    onAttemptEnd(end, token)
  }

  /** [spec] connect: readyState CONNECTING and a new fetch, unless the page says to wait. */
  function startAttempt(refreshToken = false): void {
    abortAttempt()
    const reason = gate.blocked()
    if (reason !== null)
      return waitForPage(reason)
    const gen = generation
    update({ readyState: CONNECTING, retryDelay: null, retryAt: null })
    if (gen === generation)
      void performAttempt(gen, refreshToken)
  }

  function open(): void {
    abortAttempt()
    const gen = generation
    sentInputs = null
    lastEventIdMode = 'send'
    gate.start()
    notBefore = serverNotBefore = 0
    update({ attempt: 0, done: false })
    if (gen !== generation)
      return
    refresh.end()
    startAttempt()
  }

  return { state, open, close: () => closeConnection(), on: dispatcher.on, listen: dispatcher.listen, subscribe: store.subscribe }
}

/**
 * `createEventSource` typed from its type arguments alone, for the package's own layers, which pass
 * options of a generic `Data` through: the public overloads infer `Data` from `parse`.
 */
export const createClient = createEventSource as <Data, Events extends EventMap>(url: UrlSource, options?: EventSourceOptions<Data>) => EventSourceClient<Data, Events>
