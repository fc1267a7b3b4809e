// Tests here hold promises of docs/guide/reconnection.md (listed in tests/fixtures/promises/).
// docs/spec.md: the default reconnection time is 1 s ([NON-SPEC]).
import { describe, expect, it } from 'vitest'
import { EventSourceError, EventSourceOptionError } from '../../src/core/errors'
import { MIN_BACKOFF, retryDelay } from '../../src/core/policy'
import { isEventStream } from '../../src/core/response'
import { parseRetryAfter, resolveRetryPolicy } from '../../src/core/retry'

describe('retry policy', () => {
  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('reconnects GET by default and other methods only when asked', () => {
    expect(resolveRetryPolicy(undefined, 'GET')).toMatchObject({ retries: Infinity, delay: 1000, maxDelay: 30_000, jitter: 0.25 })
    expect(resolveRetryPolicy(undefined, 'POST')).toBeNull()
    expect(resolveRetryPolicy(true, 'POST')).not.toBeNull()
    expect(resolveRetryPolicy(false, 'GET')).toBeNull()
  })

  // Promised in README.md (tests/fixtures/promises/).
  it('doubles from the base up to maxDelay, with jitter on top only', () => {
    const policy = resolveRetryPolicy({ delay: 1000, maxDelay: 5000, jitter: 0.5 }, 'GET')!
    expect([1, 2, 3, 4, 10].map(n => retryDelay({ policy, attempt: n, error: null, serverRetry: null, retryAfter: null, random: () => 0 }))).toEqual([1000, 2000, 4000, 5000, 5000])
    const jittered = [1, 2, 3, 4].map(n => retryDelay({ policy, attempt: n, error: null, serverRetry: null, retryAfter: null, random: () => 0.999 }))
    expect(jittered).toEqual([1499.5, 2999, 5998, 7497.5])
  })

  it('after a clean end, waits the server retry: exactly, even past maxDelay', () => {
    const policy = resolveRetryPolicy({ delay: 1000, maxDelay: 30_000, jitter: 0 }, 'GET')!
    expect(retryDelay({ policy, attempt: 1, error: null, serverRetry: 200, retryAfter: null })).toBe(200)
    expect(retryDelay({ policy, attempt: 1, error: null, serverRetry: 0, retryAfter: null })).toBe(0)
    expect(retryDelay({ policy, attempt: 1, error: null, serverRetry: 60_000, retryAfter: null })).toBe(60_000)
  })

  it('after failures, backs off from reconnect.delay whatever retry: said: a larger retry: raises the floor, a smaller one never lowers it', () => {
    const policy = resolveRetryPolicy({ delay: 1000, maxDelay: 30_000, jitter: 0 }, 'GET')!
    const failure = new EventSourceError('network', 'down')
    for (const serverRetry of [null, 0, 1, 200]) {
      expect([1, 2, 3, 10].map(attempt => retryDelay({ policy, attempt, error: failure, serverRetry, retryAfter: null }))).toEqual([1000, 2000, 4000, 30_000])
      // A stream that ends again without an event is a failure too (attempt 2 and on).
      expect(retryDelay({ policy, attempt: 3, error: null, serverRetry, retryAfter: null })).toBe(4000)
    }
    expect(retryDelay({ policy, attempt: 2, error: failure, serverRetry: 5000, retryAfter: null })).toBe(10_000)
    expect(retryDelay({ policy, attempt: 1, error: failure, serverRetry: 60_000, retryAfter: null })).toBe(60_000)
  })

  it('with reconnect.delay 0, failures still back off, from MIN_BACKOFF', () => {
    const policy = resolveRetryPolicy({ delay: 0, maxDelay: 30_000, jitter: 0 }, 'GET')!
    const failure = new EventSourceError('network', 'down')
    expect([1, 2, 3, 20].map(attempt => retryDelay({ policy, attempt, error: failure, serverRetry: 0, retryAfter: null }))).toEqual([MIN_BACKOFF, MIN_BACKOFF * 2, MIN_BACKOFF * 4, 30_000])
  })

  it('never waits less than Retry-After', () => {
    const policy = resolveRetryPolicy({ delay: 10, jitter: 0 }, 'GET')!
    expect(retryDelay({ policy, attempt: 1, error: null, serverRetry: null, retryAfter: 5000 })).toBe(5000)
    expect(retryDelay({ policy: resolveRetryPolicy({ delay: () => 1 }, 'GET')!, attempt: 1, error: null, serverRetry: null, retryAfter: 5000 })).toBe(5000)
  })

  it('rejects bad values with a typed error naming the option', () => {
    expect(() => resolveRetryPolicy({ delay: -1 }, 'GET')).toThrow(EventSourceOptionError)
    expect(() => resolveRetryPolicy({ maxDelay: Number.NaN }, 'GET')).toThrow(/reconnect.maxDelay/)
    expect(() => resolveRetryPolicy({ jitter: 2 }, 'GET')).toThrow(/reconnect.jitter/)
    expect(() => resolveRetryPolicy({ retries: -1 }, 'GET')).toThrow(/reconnect.retries/)
    expect(() => resolveRetryPolicy('yes' as unknown as boolean, 'GET')).toThrow(/reconnect/)
  })
})

describe('retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter(' 0 ')).toBe(0)
    const now = Date.parse('Sat, 21 Nov 2026 10:00:00 GMT')
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon')).toBeNull()
    expect(parseRetryAfter(null)).toBeNull()
  })
})

describe('content type', () => {
  it('accepts text/event-stream with parameters, in any case, and nothing else', () => {
    expect(isEventStream('text/event-stream')).toBe(true)
    expect(isEventStream('Text/Event-Stream; charset=utf-8')).toBe(true)
    expect(isEventStream('text/event-streams')).toBe(false)
    expect(isEventStream('text/plain')).toBe(false)
    expect(isEventStream(null)).toBe(false)
  })
})
