import type { EventSourceError } from './errors'
import type { ReconnectOptions } from './types'
import { EventSourceHttpError, EventSourceOptionError, lastResort } from './errors'
import { LONGEST_DELAY } from './timer'
import { checkFunction, checkNumber } from './validate'

/** A reconnect policy with every default filled in. */
export interface RetryPolicy {
  retries: number
  delay: number | ((attempt: number, error: EventSourceError | null) => number | undefined)
  maxDelay: number
  jitter: number
  onFailed: ((error: EventSourceError | null) => void) | undefined
  retryStatus: ((status: number) => boolean) | undefined
}

const SECONDS = /^\d+$/

// [NON-SPEC] the spec leaves the initial reconnection time to the user agent (a few seconds); ours is 1 s
export const DEFAULT_DELAY = 1000
export const DEFAULT_MAX_DELAY = 30_000
export const DEFAULT_JITTER = 0.25

/**
 * Turns the `reconnect` option into a policy, or `null` for "never reconnect".
 * A request that is not GET reconnects only when `reconnect` is given explicitly, so a POST is never
 * re-sent by accident.
 */
export function resolveRetryPolicy(option: boolean | ReconnectOptions | undefined, method: string): RetryPolicy | null {
  if (option === false || (option === undefined && method !== 'GET'))
    return null
  if (option !== undefined && option !== true && (typeof option !== 'object' || option === null))
    throw new EventSourceOptionError('reconnect', process.env.NODE_ENV !== 'production' ? 'expected false, true or an object' : '')
  const { retries = Infinity, delay = DEFAULT_DELAY, maxDelay = DEFAULT_MAX_DELAY, jitter = DEFAULT_JITTER, onFailed, retryStatus } = option === true || option === undefined ? {} : option
  checkNumber('reconnect.retries', retries, 0, true, true)
  if (typeof delay !== 'function')
    checkNumber('reconnect.delay', delay)
  checkNumber('reconnect.maxDelay', maxDelay)
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1))
    throw new EventSourceOptionError('reconnect.jitter', process.env.NODE_ENV !== 'production' ? `expected a fraction from 0 to 1, got ${String(jitter)}` : '')
  return {
    retries,
    delay,
    maxDelay,
    jitter,
    onFailed: checkFunction('reconnect.onFailed', onFailed, true),
    retryStatus: checkFunction('reconnect.retryStatus', retryStatus, true),
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
 * is a floor for any policy.
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

/** Reads a `Retry-After` header (seconds or an HTTP date) as milliseconds from now, or `null`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null)
    return null
  const text = value.trim()
  if (SECONDS.test(text))
    return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}
