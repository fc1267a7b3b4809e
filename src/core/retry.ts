import type { EventSourceError } from './errors'
import type { ReconnectOptions } from './types'
import { EventSourceOptionError } from './errors'
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
    throw new EventSourceOptionError('reconnect', __DEV__ ? 'expected false, true or an object' : '')
  const { retries = Infinity, delay = DEFAULT_DELAY, maxDelay = DEFAULT_MAX_DELAY, jitter = DEFAULT_JITTER, onFailed, retryStatus } = option === true || option === undefined ? {} : option
  checkNumber('reconnect.retries', retries, 0, true, true)
  if (typeof delay !== 'function')
    checkNumber('reconnect.delay', delay)
  checkNumber('reconnect.maxDelay', maxDelay)
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1))
    throw new EventSourceOptionError('reconnect.jitter', __DEV__ ? `expected a fraction from 0 to 1, got ${String(jitter)}` : '')
  return {
    retries,
    delay,
    maxDelay,
    jitter,
    onFailed: checkFunction('reconnect.onFailed', onFailed, true),
    retryStatus: checkFunction('reconnect.retryStatus', retryStatus, true),
  }
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
