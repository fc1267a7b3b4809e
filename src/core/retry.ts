import type { EventSourceError } from './errors'
import type { ReconnectOptions } from './types'
import { EventSourceOptionError } from './errors'
import { LONGEST_DELAY } from './timer'

/** A reconnect policy with every default filled in. */
export interface RetryPolicy {
  retries: number
  delay: number | ((attempt: number, error: EventSourceError | null) => number)
  maxDelay: number
  jitter: number
  onFailed: ((error: EventSourceError | null) => void) | undefined
}

const SECONDS = /^\d+$/

export const DEFAULT_DELAY = 1000
export const DEFAULT_MAX_DELAY = 30_000
export const DEFAULT_JITTER = 0.25

function checkMs(option: string, value: unknown, allowInfinity = false): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowInfinity && !Number.isFinite(value)))
    throw new EventSourceOptionError(option, `expected a number of milliseconds >= 0, got ${String(value)}`)
}

/**
 * Turns the `reconnect` option into a policy, or `null` for "never reconnect".
 * A request that is not GET reconnects only when `reconnect` is given explicitly, so a POST is never
 * re-sent by accident.
 */
export function resolveRetryPolicy(option: boolean | ReconnectOptions | undefined, method: string): RetryPolicy | null {
  if (option === false || (option === undefined && method !== 'GET'))
    return null
  if (option !== undefined && option !== true && (typeof option !== 'object' || option === null))
    throw new EventSourceOptionError('reconnect', 'expected false, true or an object')
  const { retries = Infinity, delay = DEFAULT_DELAY, maxDelay = DEFAULT_MAX_DELAY, jitter = DEFAULT_JITTER, onFailed } = option === true || option === undefined ? {} : option
  if (typeof retries !== 'number' || Number.isNaN(retries) || retries < 0 || (Number.isFinite(retries) && !Number.isInteger(retries)))
    throw new EventSourceOptionError('reconnect.retries', `expected a whole number >= 0 or Infinity, got ${String(retries)}`)
  if (typeof delay !== 'function')
    checkMs('reconnect.delay', delay)
  checkMs('reconnect.maxDelay', maxDelay)
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1))
    throw new EventSourceOptionError('reconnect.jitter', `expected a fraction from 0 to 1, got ${String(jitter)}`)
  if (onFailed !== undefined && typeof onFailed !== 'function')
    throw new EventSourceOptionError('reconnect.onFailed', 'expected a function')
  return { retries, delay, maxDelay, jitter, onFailed }
}

/**
 * How long to wait before attempt number `attempt` (1 for the first reconnection after a failure).
 *
 * Exponential from the base (the server's `retry:` when it sent one, else `delay`) up to `maxDelay`, never
 * below the server's `retry:`, then jitter added on top. A server's `Retry-After` is a floor for any policy.
 * No delay exceeds `LONGEST_DELAY` (24.8 days), the longest a timer can wait.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  error: EventSourceError | null,
  serverRetry: number | null,
  retryAfter: number | null,
  random: () => number = Math.random,
): number {
  let wait: number
  if (typeof policy.delay === 'function') {
    wait = policy.delay(attempt, error)
    checkMs('reconnect.delay()', wait)
  }
  else {
    const base = serverRetry ?? policy.delay
    // [spec] the server's retry: is the reconnection time; backing off further on failures is allowed
    wait = Math.max(Math.min(policy.maxDelay, base * 2 ** (attempt - 1)), serverRetry ?? 0)
    wait += wait * policy.jitter * random()
  }
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
