/**
 * [NON-SPEC] runs that survive a break: where the rest of a run is read again (`resume`), and which
 * events a server sends twice when it replays from an older point (the replay filter). The spec's
 * EventSource knows neither: it sends GET only, and trusts the server to resume after `Last-Event-ID`.
 */
import type { RetryPolicy } from './retry'
import type { ReconnectOptions, ResumeOptions } from './types'
import { EventSourceOptionError } from './errors'
import { resolveUrl } from './request'
import { resolveRetryPolicy } from './retry'
import { checkNumber, checkOneOf } from './validate'

/** The `resume` option with its defaults filled in. */
export interface ResolvedResume {
  /** Where the rest of the run is read, from the response that started it; unresolved. */
  url: (response: Response) => string | URL | null | undefined
  /** Whether a resume sends `Last-Event-ID`, or the server replays from the start and the client skips. */
  fromStart: boolean
  /** The policy of the resume GETs: `reconnect`'s backoff, at most `resume.retries` failures in a row. */
  policy: RetryPolicy
}

/** Consecutive failed resumes before the run is given up: a run whose producer died answers 5xx for ever. */
export const DEFAULT_RESUME_RETRIES = 5

/** Checks the `resume` option; `null` without one. */
export function resolveResume(option: ResumeOptions | undefined, reconnect: boolean | ReconnectOptions | undefined): ResolvedResume | null {
  if (option === undefined)
    return null
  const { url, from = 'last-event-id', retries = DEFAULT_RESUME_RETRIES } = typeof option === 'object' && option !== null ? option : {} as Partial<ResumeOptions>
  if (typeof url !== 'function' && typeof url !== 'string' && !(url instanceof URL))
    throw new EventSourceOptionError('resume.url', __DEV__ ? 'expected the URL where the rest of a run is read, or a function of the response that started it' : '')
  // A resume is a GET: it follows `reconnect`'s backoff even where `reconnect` is off for the first request.
  const policy = resolveRetryPolicy(typeof reconnect === 'object' ? reconnect : true, 'GET')!
  policy.retries = Math.min(policy.retries, checkNumber('resume.retries', retries, 0, true, true))
  return { url: typeof url === 'function' ? url : () => url, fromStart: (__DEV__ ? checkOneOf('resume.from', from, ['last-event-id', 'start']) : from) === 'start', policy }
}

/** The resume URL a response names, resolved against the response's own URL (after redirects) or the request's. */
export function resumeUrlOf(resume: ResolvedResume, response: Response, requestUrl: string): string | null {
  let named: string | URL | null | undefined
  try {
    named = resume.url(response)
  }
  catch (error) {
    throw new EventSourceOptionError('resume.url', __DEV__ ? `its function threw: ${String(error)}` : '')
  }
  if (named === null || named === undefined || named === '')
    return null
  return resolveUrl(new URL(named, response.url || requestUrl))
}

/** How many delivered ids the replay filter remembers. */
export const REPLAY_WINDOW = 1000

/**
 * Drops what a server sends again. Two cases, one per way of resuming:
 * - from the start (`resume.from: 'start'`): the first events of a resume are those already delivered,
 *   counted, ids or not;
 * - after `Last-Event-ID`, a server that replays from an older point: at the start of an attempt that
 *   sent a last event ID, events whose id was delivered (among the last `REPLAY_WINDOW`) are dropped, up to the
 *   first new one. A server that repeats ids within one response has no ids to tell events apart by: for
 *   such a stream nothing is dropped.
 */
export interface ReplayFilter {
  /**
   * A new attempt: `fromStart` when it replays the run from its first event; `lastEventId` its starting
   * id, and `sent` whether the request carried it (a server sent none starts afresh: nothing is dropped).
   */
  begin: (fromStart: boolean, lastEventId: string, sent: boolean) => void
  /** Whether an event with this last event ID is new: delivered from here on, and remembered. */
  admit: (lastEventId: string) => boolean
  /** Whether the current attempt has admitted an event. */
  readonly fresh: boolean
  /** Whether the current attempt is dropping a replay: its ids go backwards meanwhile, and are not the stream's. */
  readonly dropping: boolean
  /** Forgets the ids delivered: the server said events were lost, and may number them afresh. */
  forget: () => void
}

/** A filter for a run that has delivered `delivered` events already (taken over from another connection). */
export function createReplayFilter(delivered = 0): ReplayFilter {
  // The last REPLAY_WINDOW ids delivered, by age (`next` is where the next one goes): an array store per
  // event and nothing more. The set to look them up in is built only when an attempt may be replaying.
  const ring: string[] = []
  let next = 0
  let seen: Set<string> | null = null
  // Whether the stream's ids tell its events apart: false once the last REPLAY_WINDOW ids hold one twice.
  let unique = true
  // Events delivered since the run began (one filter per open()), for a replay from the start.
  let count = delivered
  // Of the current attempt: events still to skip from the start, whether it may still be replaying,
  // whether it dropped the event before (an event without its own id goes with the one before), the
  // last id it saw, and whether it admitted any.
  let skip = 0
  let replaying = false
  let dropping = false
  let previous = ''
  let fresh = false

  /** While the attempt may be replaying: whether this event was delivered before; the first new one ends the replay. */
  function replayed(id: string, own: boolean): boolean {
    if (seen!.has(id) && (own || dropping)) {
      dropping = true
      return true
    }
    replaying = dropping = false
    seen = null
    return false
  }

  /** Keeps a delivered id among the last REPLAY_WINDOW. */
  function remember(id: string): void {
    ring[next] = id
    next = next + 1 === REPLAY_WINDOW ? 0 : next + 1
  }

  // admit() runs once per event: its rarer steps are calls, so that V8 inlines it where it is used.
  return {
    begin(fromStart, lastEventId, sent) {
      skip = fromStart ? count : 0
      replaying = false
      if (!fromStart && sent && unique && ring.length > 0) {
        seen = new Set(ring)
        unique = seen.size === ring.length
        replaying = unique
      }
      dropping = false
      previous = lastEventId
      fresh = false
    },
    admit(id) {
      if (skip > 0) {
        skip--
        return false
      }
      const own = id !== previous
      previous = id
      if (replaying && replayed(id, own))
        return false
      count++
      fresh = true
      if (own && id !== '')
        remember(id)
      return true
    },
    get fresh() {
      return fresh
    },
    get dropping() {
      return skip > 0 || dropping
    },
    forget() {
      seen = null
      ring.length = next = 0
      unique = true
    },
  }
}
