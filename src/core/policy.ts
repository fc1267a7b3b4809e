/**
 * The client's decisions that the HTML standard does not make (or leaves to the user agent), as pure
 * functions: what is known goes in, a decision comes out; no timers, no fetch, no state of their own.
 * client.ts applies them. Each is `[NON-SPEC]` with its reason, or `[spec]` where the standard decides.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import type { AttemptEnd } from './attempt'
import type { EventSourceError } from './errors'
import type { RetryPolicy } from './retry'
import { EventSourceHttpError, lastResort } from './errors'
import { DEFAULT_DELAY } from './retry'
import { LONGEST_DELAY } from './timer'
import { checkNumber } from './validate'

/** Why the client holds off connecting: the network is down, or the page is hidden (`pauseWhenHidden`). */
export type HoldReason = 'offline' | 'hidden'

/** Why the page asks for a connection to be replaced: a bfcache restore, a resume, or a long hide. */
export type ResyncReason = 'pageshow' | 'resume' | 'hidden'

// ---------------------------------------------------------------------------------------------------
// What follows an attempt

/** What follows an attempt's end. */
export type Next
  /** CLOSED for good, no error to report; `done` when the server finished the stream. */
  = | { then: 'close', done: boolean, clearError: boolean }
  /** [spec] fail the connection with `error`. */
    | { then: 'fail', error: EventSourceError }
  /** Connect again at once, asking the token getter for a fresh token. */
    | { then: 'refresh' }
  /** [spec] reestablish the connection, after reporting `error` (a failure) or not (a clean end). */
    | { then: 'reconnect', error: EventSourceError | null, retryAfter: number | null }
  /**
   * [NON-SPEC] the server said events were lost (410 Gone to a request with a last event ID): tell
   * `onResync`, then fail with `error`, or, without one, connect again at once from no last event ID.
   */
    | { then: 'gap', error: EventSourceError | null }
  /** The client's own abort: it already decided what comes next. */
    | { then: 'none' }

/** What `afterEnd` knows besides the end itself. */
export interface EndContext {
  /** The request's method, in capitals. */
  method: string
  /** The reconnection policy, `null` for none. */
  retry: RetryPolicy | null
  /** Whether the app declared the stream's end (`closeData` or `closeEvent`). */
  declaresEnd: boolean
  /** For a 401/403: whether the refresh episode grants one retry with a fresh token (refresh.ts). */
  freshTokenAllowed: boolean
  /** Builds the error for a run whose declared end was not seen: cut off, or a resume that found nothing more. */
  cutOff: (why: 'cut' | 'nothing') => EventSourceError
  /** Whether this attempt carried a last event ID (header or query parameter). */
  sentLastEventId: boolean
  /** Whether this attempt read the rest of a run at its resume URL. */
  resuming: boolean
  /** Whether the run's resume URL is known: a break is resumed there, and the stream's end is the run's. */
  resumable: boolean
  /** Whether this attempt delivered an event that was not delivered before. */
  fresh: boolean
}

/** Decides what follows an attempt's end. A failure that may be retried also ends the refresh episode. */
export function afterEnd(end: AttemptEnd, context: EndContext): Next {
  switch (end.kind) {
    case 'ended':
      // [NON-SPEC] the app declared how the stream ends and it ended without it: the answer was cut
      // off, a break like any other, never a complete answer. A resume that ends with nothing new
      // (a server that kept the run but not its end) is the end of the run: the app is told it was not seen.
      if (context.declaresEnd) {
        return context.resuming && !context.fresh
          ? { then: 'fail', error: context.cutOff('nothing') }
          : afterEnd({ kind: 'fail', error: context.cutOff('cut'), retryable: true, retryAfter: null }, context)
      }
      // [spec] when the stream ends, reestablish the connection. [NON-SPEC] a request that is not GET
      // is complete instead: its stream was the answer to one request, never re-sent by accident; and
      // so is a run's, whose stream ending is the run's end
      return context.method === 'GET' && !context.resumable ? { then: 'reconnect', error: null, retryAfter: null } : { then: 'close', done: true, clearError: false }
    case 'stop':
      // [NON-SPEC] a resume answered 204: the server has nothing more of the run, whose end was not seen
      if (context.resuming)
        return { then: 'fail', error: context.cutOff('nothing') }
      // [spec] 204 No Content: no reconnection. [NON-SPEC] no error: the server stopped on purpose, so an
      // error left from an earlier attempt is cleared too
      return { then: 'close', done: true, clearError: true }
    case 'unauthorized':
      // [NON-SPEC] with a token getter, one retry at once with a fresh token before the refusal is final
      return context.freshTokenAllowed ? { then: 'refresh' } : { then: 'fail', error: end.error }
    case 'fail':
      // [NON-SPEC] 410 Gone to a request with a last event ID: the server no longer has what followed
      // it. A stream goes on from now; a run's resume cannot, and fails
      if (context.sentLastEventId && end.error instanceof EventSourceHttpError && end.error.status === 410)
        return { then: 'gap', error: context.resuming ? end.error : null }
      return retryable(context.retry, end) ? { then: 'reconnect', error: end.error, retryAfter: end.retryAfter } : { then: 'fail', error: end.error }
    case 'aborted':
      return { then: 'none' }
  }
}

/** Whether a failed attempt may be retried: by its status when the policy decides statuses, else as judged. */
export function retryable(policy: RetryPolicy | null, end: { error: EventSourceError, retryable: boolean }): boolean {
  if (policy?.retryStatus === undefined || !(end.error instanceof EventSourceHttpError))
    return end.retryable
  try {
    return policy.retryStatus(end.error.status) === true
  }
  catch (thrown) {
    // A callback that throws is the application's bug: say so, and do not retry on its word.
    lastResort(thrown)
    return false
  }
}

/** How a reconnection goes on, once any error is reported. */
export type Reconnection
  /** [NON-SPEC] offline: no attempt, and none counted, until the network is back. */
  = | { then: 'hold' }
  /** [NON-SPEC] `retries` consecutive failures: CLOSED, `onFailed`. */
    | { then: 'give-up', attempt: number }
  /** Wait, then attempt number `attempt`. */
    | { then: 'wait', attempt: number }

/** Decides how a reconnection goes on, from the policy, the consecutive failures so far and the network. */
export function reconnection(retry: RetryPolicy, failures: number, offline: boolean): Reconnection {
  if (offline)
    return { then: 'hold' }
  const attempt = failures + 1
  // [NON-SPEC] the spec retries forever; a policy may give up after `retries` consecutive failures
  return attempt > retry.retries ? { then: 'give-up', attempt } : { then: 'wait', attempt }
}

// ---------------------------------------------------------------------------------------------------
// How long to wait

/** What one reconnection delay depends on. */
export interface DelayInputs {
  policy: RetryPolicy
  /** 1 for the first reconnection after a failure, 2 for the next, … */
  attempt: number
  /** The failure that ended the last attempt, or `null` when the stream ended cleanly. */
  error: EventSourceError | null
  /** The server's last `retry:` in ms, or `null` when it sent none. */
  serverRetry: number | null
  /** The server's `Retry-After` in ms, or `null`. */
  retryAfter: number | null
  /** Source of jitter. @default Math.random */
  random?: () => number
}

/** [NON-SPEC] the least base of the backoff after failures, when `reconnect.delay` is 0: it still doubles. */
export const MIN_BACKOFF = 1

/**
 * How long to wait before the next attempt.
 *
 * After a clean end (the stream ended with no error, after a connection that delivered events), the
 * reconnection time: the server's `retry:`, else `delay`. After failures (an error, or a stream that
 * ended again without an event), exponential from a floor, `delay` (at least `MIN_BACKOFF`) or the
 * server's `retry:` when larger, up to `maxDelay` and never below the server's `retry:`: a small
 * `retry:` never turns failures into a request storm. Jitter is added on top. A server's `Retry-After`
 * is a floor for any policy. A `delay` function is the app's code: it is asked first.
 */
export function retryDelay({ policy, attempt, error, serverRetry, retryAfter, random = Math.random }: DelayInputs): number {
  let wait: number | undefined
  if (typeof policy.delay === 'function') {
    wait = policy.delay(attempt, error)
    if (wait !== undefined)
      wait = checkNumber('reconnect.delay()', wait)
  }
  if (wait === undefined) {
    const base = typeof policy.delay === 'number' ? policy.delay : DEFAULT_DELAY
    // [spec] after a clean end, wait the reconnection time: the server's retry:, else ours
    if (error === null && attempt === 1) {
      wait = serverRetry ?? base
    }
    else {
      // [NON-SPEC] after failures, back off exponentially (the spec allows "an exponential backoff
      // algorithm") from a floor no retry: lowers
      const floor = Math.max(serverRetry ?? 0, base, MIN_BACKOFF)
      wait = Math.max(Math.min(policy.maxDelay, floor * 2 ** (attempt - 1)), serverRetry ?? 0)
    }
    // [NON-SPEC] jitter on top, so that clients a server dropped at once do not all return at once
    wait += wait * policy.jitter * random()
  }
  // [NON-SPEC] a Retry-After on an error response is a floor, and no delay exceeds what a timer can hold
  return Math.min(Math.max(wait, retryAfter ?? 0), LONGEST_DELAY)
}

/** The floors a scheduled reconnection leaves: when it is due, and the part of that a `Retry-After` set. */
export interface Floors {
  /** [NON-SPEC] when the next attempt is due at the earliest (`Date.now()`): a hold never brings it forward. */
  notBefore: number
  /** The part of that a server's `Retry-After` set: coming back online may cut a backoff short, never this. */
  serverNotBefore: number
}

/** The floors of a reconnection scheduled `now` to wait `delay` ms, after a `Retry-After` or not. */
export function floorsOf(now: number, delay: number, retryAfter: number | null): Floors {
  return { notBefore: now + delay, serverNotBefore: retryAfter === null ? 0 : now + retryAfter }
}

/** [NON-SPEC] when the attempt after a hold is due: never earlier than the floor, which coming back online lowers to the server's. */
export function dueAfterHold(floors: Floors, cameOnline: boolean): number {
  return cameOnline ? floors.serverNotBefore : floors.notBefore
}

// ---------------------------------------------------------------------------------------------------
// The page

/** The page as the client sees it: hidden or not, online or not. */
export interface PageState {
  hidden: boolean
  online: boolean
}

/** What changed on the page, as signals.ts reports it. */
export type PageEvent
  /** Visibility or network changed; `cameOnline` when the network came back; `hiddenFor` (ms) when the page just became visible. */
  = | { kind: 'change', page: PageState, cameOnline: boolean, hiddenFor: number | null }
  /** The page came back from a back/forward-cache restore or a freeze. */
    | { kind: 'revive', reason: 'pageshow' | 'resume' }

/** [NON-SPEC] why connecting must wait now, or `null`: offline always, hidden with `pauseWhenHidden`. */
export function holdReason(page: PageState | null, pauseWhenHidden: boolean): HoldReason | null {
  if (page === null)
    return null
  return !page.online ? 'offline' : pauseWhenHidden && page.hidden ? 'hidden' : null
}

/** Where the client is, as far as a page change is concerned. */
export type PhaseName = 'closed' | 'connecting' | 'open' | 'waiting' | 'held'

/** What a page change means for the client. */
export type PageDecision
  = | { then: 'none' }
  /** Replace the open connection, resuming with Last-Event-ID: it may have died unreported. */
    | { then: 'resync', reason: ResyncReason }
  /** Stop what is in flight and hold until the page is visible again. */
    | { then: 'hold' }
  /** The reason to hold is gone, or the network came back during a backoff: connect, no earlier than due. */
    | { then: 'release', cameOnline: boolean }

/**
 * [NON-SPEC] the spec's EventSource knows no page. `phase` is where the client is and `held` why it holds
 * (if it does); `pauseWhenHidden` is the option for a GET (a request that is not GET is never paused,
 * so never re-sent), a hide of `resyncAfterHidden` ms or more counts as a possible silent drop, and
 * `replaceable` says whether the next request would be a GET.
 */
export function pageDecision(event: PageEvent, phase: PhaseName, held: HoldReason | null, options: { pauseWhenHidden: boolean, resyncAfterHidden: number, replaceable: boolean }): PageDecision {
  if (phase === 'closed')
    return { then: 'none' }
  // An open stream is replaced only where the next request is a GET (a GET stream, or a run with a
  // resume URL): a POST is never sent again by accident.
  const resyncs = phase === 'open' && options.replaceable
  if (event.kind === 'revive')
    return resyncs ? { then: 'resync', reason: event.reason } : { then: 'none' }
  // Back from a long hide, in which mobile browsers drop connections without a word. A client already
  // connecting resumes anyway, and one that holds is released below.
  if (resyncs && event.hiddenFor !== null && event.hiddenFor >= options.resyncAfterHidden)
    return { then: 'resync', reason: 'hidden' }
  if (options.pauseWhenHidden && event.page.hidden)
    return held === 'hidden' ? { then: 'none' } : { then: 'hold' }
  // Back online or visible again: connect at once instead of waiting out a backoff.
  if (phase === 'held' || (event.cameOnline && phase === 'waiting'))
    return { then: 'release', cameOnline: event.cameOnline }
  return { then: 'none' }
}

// ---------------------------------------------------------------------------------------------------
// Last-Event-ID across origins

/**
 * Whether the next cross-origin attempt sends `Last-Event-ID`, which, unlike the browser's EventSource,
 * fetch may send only with the server's CORS consent:
 * - `send`: it does;
 * - `doubt`: CORS refused an attempt that sent it; it is sent once more, since a server that was just
 *   restarting may have come up between that request and the probe that judged it;
 * - `probe`: refused twice; the next attempt goes without, to see whether the header is the cause;
 * - `blocked`: one without it opened: the server's CORS refuses the header (events may have been missed).
 */
export type LastEventIdMode = 'send' | 'doubt' | 'probe' | 'blocked'

/** What an attempt's end says of the header: it opened, CORS refused it, the network failed, or else. */
export type HeaderOutcome = 'opened' | 'cors' | 'network' | 'other'

/**
 * [NON-SPEC] the mode after an attempt, given whether it sent the header. Never for good on one
 * inference: a network failure (a server restarting) and an attempt with the header that opens go back
 * to `send`, as `open()` does; a refusal without the header says the header was not the cause.
 */
export function nextLastEventIdMode(mode: LastEventIdMode, outcome: HeaderOutcome, sentHeader: boolean): LastEventIdMode {
  if (outcome === 'network')
    return 'send'
  if (outcome === 'opened')
    return mode === 'probe' ? 'blocked' : mode === 'doubt' ? 'send' : mode
  if (outcome === 'cors')
    return sentHeader ? mode === 'doubt' ? 'probe' : 'doubt' : mode === 'probe' ? 'send' : mode
  return mode
}

/** Whether an attempt in `mode` sends `Last-Event-ID` (when there is one to send). */
export function sendsLastEventId(mode: LastEventIdMode): boolean {
  return mode === 'send' || mode === 'doubt'
}
