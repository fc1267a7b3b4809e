// Tests here hold promises of docs/guide/errors.md (listed in tests/fixtures/promises/).
/**
 * Reconnection policy on virtual time: backoff, caps, the server's `retry:` and `Retry-After`, the
 * heartbeat and the timer cap, each checked at its boundary. The wire stays in clientReconnect.test.ts;
 * here a scripted fetch answers and `vi.advanceTimersByTimeAsync` moves the clock.
 */
import type { AttemptEnd } from '../../src/core/attempt'
import type { EventSourceClient } from '../../src/core/client'
import type { EndContext, HeaderOutcome, HoldReason, LastEventIdMode, Next, PageDecision, PageEvent, PageState, PhaseName, Reconnection } from '../../src/core/policy'
import type { EventSourceMessage, EventSourceOptions, EventSourceState } from '../../src/core/types'
import type { ScriptedResponse } from '../support/scriptedFetch'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/core/client'
import { EventSourceError, EventSourceHttpError } from '../../src/core/errors'
import { afterEnd, dueAfterHold, floorsOf, holdReason, nextLastEventIdMode, pageDecision, reconnection, sendsLastEventId } from '../../src/core/policy'
import { resolveRetryPolicy } from '../../src/core/retry'
import { LONGEST_DELAY } from '../../src/core/timer'
import { CLOSED, CONNECTING, OPEN } from '../../src/core/types'
import { scriptedFetch } from '../support/scriptedFetch'

const URL_ = 'https://sse.test/stream'
// setTimeout fires after 1 ms when asked to wait longer than 2^31 - 1 ms (24.8 days); so do fake timers.
const LONGEST = 2 ** 31 - 1
const DAY = 86_400_000

const opened: EventSourceClient[] = []

beforeEach(() => {
  vi.useFakeTimers()
  // A whole second, so that an HTTP date (second resolution) names an exact offset.
  vi.setSystemTime(Date.UTC(2026, 0, 1, 12, 0, 0))
})

afterEach(() => {
  for (const client of opened.splice(0))
    client.close()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

/** Opens a client on a scripted fetch; `at(ms)` moves virtual time to `ms` after `open()`. */
function start(script: ScriptedResponse[], options: EventSourceOptions = {}) {
  const fetch = scriptedFetch(script)
  const t0 = Date.now()
  const errors: EventSourceError[] = []
  const messages: EventSourceMessage[] = []
  const states: EventSourceState[] = []
  const client = createClient(URL_, {
    ...options,
    fetch,
    onError: error => errors.push(error),
    onMessage: message => messages.push(message),
  })
  client.subscribe(state => states.push({ ...state }))
  opened.push(client)
  client.open()
  return {
    client,
    calls: fetch.calls,
    errors,
    messages,
    states,
    t0,
    /** When each request was made, in ms after `open()`. */
    times: () => fetch.calls.map(call => call.at - t0),
    async at(ms: number): Promise<void> {
      const wait = t0 + ms - Date.now()
      if (wait < 0)
        throw new Error(`already ${-wait} ms past ${ms}`)
      await vi.advanceTimersByTimeAsync(wait)
    },
  }
}

/** The reconnections the client scheduled, as [attempt, retryDelay], in order. */
function scheduled(states: EventSourceState[]): [number, number][] {
  return states.filter(s => s.retryDelay !== null).map(s => [s.attempt, s.retryDelay!])
}

// docs/guide/core.md: `state` is live (`attempt`, `retryDelay`, `retryAt`, `error`) and `subscribe` hears each change.
// docs/spec.md: backoff and jitter, never less than the server's `retry:`, no wait beyond 24.8 days ([NON-SPEC]).
describe('policy: exponential backoff', () => {
  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('backs off exponentially and shows the attempt number and next delay', async () => {
    const run = start([{ status: 500 }], { reconnect: { delay: 100, jitter: 0, retries: 4 } })
    await run.at(0)
    expect(run.calls).toHaveLength(1)
    expect(run.client.state).toMatchObject({ readyState: CONNECTING, attempt: 1, retryDelay: 100, retryAt: run.t0 + 100 })
    // Requests at 0, then 100, 200, 400 and 800 ms after each failure.
    const due = [100, 300, 700, 1500]
    for (const [i, time] of due.entries()) {
      await run.at(time - 1)
      expect(run.calls, `no request before ${time} ms`).toHaveLength(i + 1)
      expect(run.client.state.readyState).toBe(CONNECTING)
      await run.at(time)
      expect(run.calls, `a request at ${time} ms`).toHaveLength(i + 2)
      if (i < due.length - 1) {
        const next = 100 * 2 ** (i + 1)
        expect(run.client.state).toMatchObject({ readyState: CONNECTING, attempt: i + 2, retryDelay: next, retryAt: run.t0 + time + next })
      }
    }
    expect(run.times()).toEqual([0, 100, 300, 700, 1500])
    expect(scheduled(run.states)).toEqual([[1, 100], [2, 200], [3, 400], [4, 800]])
    // The fifth failure is one more than `retries` allows.
    expect(run.client.state).toMatchObject({ readyState: CLOSED, attempt: 5, retryDelay: null, retryAt: null })
    await run.at(DAY)
    expect(run.calls).toHaveLength(5)
  })

  it('caps the delay at maxDelay', async () => {
    const run = start([{ status: 502 }], { reconnect: { delay: 100, maxDelay: 250, jitter: 0, retries: 5 } })
    const due = [100, 300, 550, 800, 1050]
    for (const [i, time] of due.entries()) {
      await run.at(time - 1)
      expect(run.calls, `no request before ${time} ms`).toHaveLength(i + 1)
      await run.at(time)
      expect(run.calls, `a request at ${time} ms`).toHaveLength(i + 2)
    }
    expect(scheduled(run.states)).toEqual([[1, 100], [2, 200], [3, 250], [4, 250], [5, 250]])
    expect(run.client.state.readyState).toBe(CLOSED)
  })

  it('adds jitter only on top of the capped delay, never below it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const run = start([{ status: 500 }], { reconnect: { delay: 100, maxDelay: 250, jitter: 0.5, retries: 4 } })
    await run.at(124)
    expect(run.calls).toHaveLength(1)
    await run.at(125)
    expect(run.calls).toHaveLength(2)
    await run.at(10_000)
    // Bases 100, 200, 250, 250, each plus 0.5 × 0.5 = 25 % of itself: the cap comes before the jitter.
    expect(scheduled(run.states).map(([, delay]) => delay)).toEqual([125, 250, 312.5, 312.5])
  })

  it('with the random source at its extremes, waits between the base and base × (1 + jitter)', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0)
    const low = start([{ status: 500 }], { reconnect: { delay: 100, maxDelay: 250, jitter: 0.5, retries: 4 } })
    await low.at(10_000)
    expect(scheduled(low.states).map(([, delay]) => delay)).toEqual([100, 200, 250, 250])
    random.mockReturnValue(0.999_999)
    const high = start([{ status: 500 }], { reconnect: { delay: 100, maxDelay: 250, jitter: 0.5, retries: 4 } })
    await high.at(10_000)
    const delays = scheduled(high.states).map(([, delay]) => delay)
    expect(delays).toHaveLength(4)
    delays.forEach((delay, i) => {
      const base = [100, 200, 250, 250][i]!
      expect(delay).toBeGreaterThan(base * 1.49)
      expect(delay).toBeLessThanOrEqual(base * 1.5)
    })
  })
})

describe('policy: the server\'s retry:', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('after a clean end of stream, reconnects exactly after retry: ms, not before', async () => {
    const run = start([{ body: 'retry: 500\ndata: x\n\n' }], { reconnect: { delay: 10, jitter: 0 } })
    await run.at(0)
    expect(run.calls).toHaveLength(1)
    expect(run.messages.map(m => m.data)).toEqual(['x'])
    expect(run.client.state).toMatchObject({ readyState: CONNECTING, attempt: 1, retryDelay: 500, retryAt: run.t0 + 500 })
    await run.at(499)
    expect(run.calls).toHaveLength(1)
    await run.at(500)
    expect(run.calls).toHaveLength(2)
    // The event of each stream resets the attempt count: the wait stays retry: ms, not doubled.
    await run.at(999)
    expect(run.calls).toHaveLength(2)
    await run.at(1000)
    expect(run.calls).toHaveLength(3)
    expect(run.times()).toEqual([0, 500, 1000])
  })

  it('with jitter, still never reconnects before retry: ms', async () => {
    const run = start([{ body: 'retry: 500\ndata: x\n\n' }], { reconnect: { delay: 10, jitter: 0.25 } })
    await run.at(499)
    expect(run.calls).toHaveLength(1)
    const delay = run.client.state.retryDelay!
    expect(delay).toBeGreaterThanOrEqual(500)
    expect(delay).toBeLessThanOrEqual(625)
    await run.at(625)
    expect(run.calls).toHaveLength(2)
  })

  it('is the base that later failures double from', async () => {
    const run = start([{ body: 'retry: 500\ndata: x\n\n' }, { status: 500 }], { reconnect: { delay: 10, jitter: 0, retries: 3 } })
    const due = [500, 1500, 3500]
    for (const [i, time] of due.entries()) {
      await run.at(time - 1)
      expect(run.calls, `no request before ${time} ms`).toHaveLength(i + 1)
      await run.at(time)
      expect(run.calls, `a request at ${time} ms`).toHaveLength(i + 2)
    }
    expect(scheduled(run.states)).toEqual([[1, 500], [2, 1000], [3, 2000]])
  })

  it('is a floor that a smaller maxDelay does not lower', async () => {
    const run = start([{ body: 'retry: 500\ndata: x\n\n' }, { status: 503 }], { reconnect: { delay: 10, maxDelay: 100, jitter: 0, retries: 3 } })
    const due = [500, 1000, 1500]
    for (const [i, time] of due.entries()) {
      await run.at(time - 1)
      expect(run.calls, `no request before ${time} ms`).toHaveLength(i + 1)
      await run.at(time)
      expect(run.calls, `a request at ${time} ms`).toHaveLength(i + 2)
    }
    expect(scheduled(run.states)).toEqual([[1, 500], [2, 500], [3, 500]])
  })
})

describe('policy: Retry-After', () => {
  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('honours Retry-After as the least wait: no request at 1999 ms, one at 2000 ms, and the stream resumes', async () => {
    const run = start([{ status: 503, headers: { 'retry-after': '2' } }, { body: 'data: back\n\n', open: true }], { reconnect: { delay: 10, jitter: 0 } })
    await run.at(0)
    expect(run.client.state).toMatchObject({ readyState: CONNECTING, attempt: 1, retryDelay: 2000, retryAt: run.t0 + 2000 })
    expect((run.client.state.error as EventSourceHttpError)).toMatchObject({ status: 503, retryAfter: 2000 })
    await run.at(1999)
    expect(run.calls).toHaveLength(1)
    expect(run.messages).toHaveLength(0)
    await run.at(2000)
    expect(run.times()).toEqual([0, 2000])
    expect(run.messages.map(m => m.data)).toEqual(['back'])
    expect(run.client.state).toMatchObject({ readyState: OPEN, attempt: 0, error: null, retryDelay: null })
  })

  // Promised in README.md (tests/fixtures/promises/).
  it('is a floor, not a replacement: a longer backoff still wins', async () => {
    const run = start([{ status: 429, headers: { 'retry-after': '2' } }], { reconnect: { delay: 5000, jitter: 0 } })
    await run.at(4999)
    expect(run.calls).toHaveLength(1)
    expect(run.client.state.retryDelay).toBe(5000)
    await run.at(5000)
    expect(run.calls).toHaveLength(2)
  })

  it('reads an HTTP date as the wait from now', async () => {
    const due = new Date(Date.now() + 3000).toUTCString()
    const run = start([{ status: 503, headers: { 'retry-after': due } }], { reconnect: { delay: 10, jitter: 0 } })
    await run.at(2999)
    expect(run.calls).toHaveLength(1)
    expect(run.client.state.retryDelay).toBe(3000)
    await run.at(3000)
    expect(run.calls).toHaveLength(2)
  })

  it('sets the floor for a delay function too', async () => {
    const run = start([{ status: 503, headers: { 'retry-after': '2' } }], { reconnect: { delay: () => 1 } })
    await run.at(1999)
    expect(run.calls).toHaveLength(1)
    await run.at(2000)
    expect(run.calls).toHaveLength(2)
  })
})

describe('policy: heartbeat', () => {
  it('aborts an attempt that receives no byte for heartbeatTimeout ms, and schedules a reconnect', async () => {
    const run = start([{ open: true }], { heartbeatTimeout: 1000, reconnect: { delay: 100, jitter: 0 } })
    await run.at(0)
    expect(run.client.state.readyState).toBe(OPEN)
    await run.at(999)
    expect(run.calls[0]!.aborted).toBe(false)
    expect(run.errors).toEqual([])
    // At the timeout the watchdog looks once more, one task (a 1 ms timer) later, before it fires.
    await run.at(1001)
    expect(run.calls[0]!.aborted).toBe(true)
    expect(run.calls[0]!.signal.reason).toMatchObject({ type: 'heartbeat-timeout', limit: 1000 })
    expect(run.errors.map(e => e.type)).toEqual(['heartbeat-timeout'])
    expect(run.client.state).toMatchObject({ readyState: CONNECTING, attempt: 1, retryDelay: 100, retryAt: run.t0 + 1101 })
    expect(run.client.state.error).toBe(run.errors[0])
    await run.at(1100)
    expect(run.calls).toHaveLength(1)
    await run.at(1101)
    expect(run.calls).toHaveLength(2)
    expect(run.calls[1]!.aborted).toBe(false)
  })

  it('a comment resets the countdown', async () => {
    const run = start([{ open: true }], { heartbeatTimeout: 1000, reconnect: { delay: 100, jitter: 0 } })
    await run.at(900)
    run.calls[0]!.push(': ping\n')
    await run.at(1899)
    expect(run.calls[0]!.aborted).toBe(false)
    expect(run.client.state.readyState).toBe(OPEN)
    await run.at(1901)
    expect(run.calls[0]!.aborted).toBe(true)
    expect(run.errors.map(e => e.type)).toEqual(['heartbeat-timeout'])
  })

  it('comments alone, each within the timeout, keep the connection alive indefinitely', async () => {
    const run = start([{ open: true }], { heartbeatTimeout: 1000, reconnect: { delay: 100, jitter: 0 } })
    let time = 0
    while (time < 60_000) {
      time += 900
      await run.at(time)
      run.calls[0]!.push(':\n')
    }
    await run.at(time + 999)
    expect(run.calls).toHaveLength(1)
    expect(run.calls[0]!.aborted).toBe(false)
    expect(run.errors).toEqual([])
    expect(run.client.state.readyState).toBe(OPEN)
  })

  it('counts a request the server never answers as dead too', async () => {
    const run = start([{ hang: true }, { open: true }], { heartbeatTimeout: 1000, reconnect: { delay: 100, jitter: 0 } })
    await run.at(999)
    expect(run.calls[0]!.aborted).toBe(false)
    expect(run.client.state.readyState).toBe(CONNECTING)
    await run.at(1001)
    expect(run.calls[0]!.aborted).toBe(true)
    expect(run.errors.map(e => e.type)).toEqual(['heartbeat-timeout'])
    expect(run.client.state.retryDelay).toBe(100)
    await run.at(1101)
    expect(run.calls).toHaveLength(2)
  })
})

/** No second request after 10 days, nor 1 ms before the longest a timer can wait; one right at it. */
async function expectNextRequestAtLongest(run: ReturnType<typeof start>): Promise<void> {
  await run.at(10 * DAY)
  expect(run.calls).toHaveLength(1)
  await run.at(LONGEST - 1)
  expect(run.calls).toHaveLength(1)
  await run.at(LONGEST)
  expect(run.calls).toHaveLength(2)
}

describe('policy: delays beyond what a timer can hold', () => {
  it('the timer cap is 2^31 - 1 ms', () => {
    expect(LONGEST_DELAY).toBe(LONGEST)
  })

  it('[NON-SPEC] a server retry: of 2^32 ms waits the longest a timer can (24.8 days), instead of reconnecting at once', async () => {
    const run = start([{ body: `retry: ${2 ** 32}\ndata: x\n\n` }], { reconnect: { delay: 5, jitter: 0 } })
    await run.at(0)
    expect(run.messages).toHaveLength(1)
    expect(run.client.state.retryDelay).toBe(LONGEST)
    await expectNextRequestAtLongest(run)
  })

  it('[NON-SPEC] a Retry-After of 50 days waits the longest a timer can (24.8 days), instead of retrying at once', async () => {
    const run = start([{ status: 503, headers: { 'retry-after': String(50 * 86_400) } }], { reconnect: { delay: 5, jitter: 0 } })
    await run.at(0)
    expect(run.client.state.retryDelay).toBe(LONGEST)
    expect(run.client.state.retryAt).toBe(run.t0 + LONGEST)
    await expectNextRequestAtLongest(run)
  })

  it('a maxDelay beyond 2^31 ms caps the backoff at the longest a timer can wait', async () => {
    const run = start([{ status: 500 }], { reconnect: { delay: 2 ** 32, maxDelay: 2 ** 40, jitter: 0 } })
    await run.at(0)
    expect(run.client.state.retryDelay).toBe(LONGEST)
    await expectNextRequestAtLongest(run)
  })

  it('a heartbeatTimeout beyond 2^31 ms never overflows a timer, and never fires early', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    const run = start([{ open: true }], { heartbeatTimeout: 2 ** 32, reconnect: { delay: 100, jitter: 0 } })
    for (let second = 1; second <= 10; second++) {
      await run.at(second * 1000)
      run.calls[0]!.push(`data: ${second}\n\n`)
    }
    await run.at(10_001)
    expect(run.messages).toHaveLength(10)
    // Node warns (TimeoutOverflowWarning) and fires after 1 ms for any longer delay.
    const delays = setTimeoutSpy.mock.calls.map(([, delay]) => delay ?? 0)
    expect(delays.length).toBeGreaterThan(0)
    expect(Math.max(...delays)).toBeLessThanOrEqual(LONGEST)
    // Silence for 10 days: far less than 2^32 ms (49.7 days).
    await run.at(10 * DAY)
    expect(run.errors).toEqual([])
    expect(run.calls).toHaveLength(1)
    expect(run.calls[0]!.aborted).toBe(false)
    expect(run.client.state.readyState).toBe(OPEN)
  })
})

describe('policy: giving up', () => {
  it('after `retries` consecutive failures: CLOSED, the last error kept, onFailed called once', async () => {
    const onFailed = vi.fn()
    const run = start([{ status: 503 }], { reconnect: { delay: 100, jitter: 0, retries: 2, onFailed } })
    await run.at(99)
    expect(run.calls).toHaveLength(1)
    await run.at(100)
    expect(run.calls).toHaveLength(2)
    await run.at(299)
    expect(run.calls).toHaveLength(2)
    expect(onFailed).not.toHaveBeenCalled()
    expect(run.client.state.readyState).toBe(CONNECTING)
    await run.at(300)
    expect(run.calls).toHaveLength(3)
    expect(onFailed).toHaveBeenCalledOnce()
    expect(run.client.state).toMatchObject({ readyState: CLOSED, attempt: 3, retryDelay: null, retryAt: null })
    expect((run.client.state.error as EventSourceHttpError).status).toBe(503)
    expect(onFailed.mock.calls[0]![0]).toBe(run.client.state.error)
    expect(run.errors).toHaveLength(3)
    await run.at(DAY)
    expect(run.calls).toHaveLength(3)
    expect(onFailed).toHaveBeenCalledOnce()
  })

  it('retries: 0 gives up at the first failure', async () => {
    const onFailed = vi.fn()
    const run = start([{ status: 500 }], { reconnect: { delay: 100, jitter: 0, retries: 0, onFailed } })
    await run.at(0)
    expect(run.client.state.readyState).toBe(CLOSED)
    expect(onFailed).toHaveBeenCalledOnce()
    await run.at(DAY)
    expect(run.calls).toHaveLength(1)
  })
})

describe('policy: hooks the drop-in entries build on', () => {
  it('a delay function that returns undefined leaves the delay to the default backoff', async () => {
    const delay = vi.fn((): number | undefined => undefined)
    const run = start([{ status: 500 }], { reconnect: { delay, jitter: 0, retries: 3 } })
    await run.at(0)
    await run.at(1000 + 2000)
    expect(run.times()).toEqual([0, 1000, 3000])
    expect(scheduled(run.states).map(([, d]) => d)).toEqual([1000, 2000, 4000])
    expect(delay).toHaveBeenCalledTimes(3)
  })

  it('a delay function that returns undefined after a clean end waits the server\'s retry:', async () => {
    const run = start([{ body: 'retry: 700\n\ndata: a\n\n' }], { reconnect: { delay: () => undefined, jitter: 0 } })
    await run.at(0)
    expect(scheduled(run.states)[0]).toEqual([1, 700])
  })

  it('a delay function may call close(), and it wins: no timer, no further request', async () => {
    let client: EventSourceClient | undefined
    const run = start([{ status: 500 }], {
      reconnect: {
        delay: () => {
          client!.close()
          return 100
        },
      },
    })
    client = run.client
    await run.at(0)
    expect(run.client.state).toMatchObject({ readyState: CLOSED, retryDelay: null, retryAt: null })
    await run.at(DAY)
    expect(run.calls).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('retryStatus decides which statuses are retried: () => false fails a 503 at once', async () => {
    const run = start([{ status: 503 }], { reconnect: { delay: 100, retryStatus: () => false } })
    await run.at(0)
    expect(run.client.state.readyState).toBe(CLOSED)
    expect((run.client.state.error as EventSourceHttpError).status).toBe(503)
    await run.at(DAY)
    expect(run.calls).toHaveLength(1)
  })

  it('retryStatus can retry a 404 too, and is asked the status of each failure', async () => {
    const retryStatus = vi.fn((status: number) => status === 404)
    const run = start([{ status: 404 }, { status: 404 }, { status: 410 }], { reconnect: { delay: 100, jitter: 0, retryStatus } })
    await run.at(0)
    await run.at(100 + 200)
    expect(run.calls).toHaveLength(3)
    expect(run.client.state.readyState).toBe(CLOSED)
    expect(retryStatus.mock.calls.map(([status]) => status)).toEqual([404, 404, 410])
  })

  it('a retryStatus that throws fails the connection with the HTTP error, and the throw goes to the console', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const run = start([{ status: 503 }], { reconnect: { delay: 100, retryStatus: () => {
      throw new Error('bug in the app')
    } } })
    await run.at(DAY)
    expect(run.calls).toHaveLength(1)
    expect(run.client.state.readyState).toBe(CLOSED)
    expect((run.client.state.error as EventSourceHttpError).status).toBe(503)
    expect(logged).toHaveBeenCalledWith(new Error('bug in the app'))
  })

  it('retryStatus leaves the rules of 204, 401 and 403 as they are', async () => {
    const retryStatus = vi.fn(() => true)
    const run = start([{ status: 401 }], { reconnect: { delay: 100, retryStatus } })
    await run.at(DAY)
    expect(run.calls).toHaveLength(1)
    expect(retryStatus).not.toHaveBeenCalled()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('lastEventIdHeader: false sends the last event ID in the query only', async () => {
    const run = start([{ body: 'id: 7\ndata: a\n\n' }, { body: 'data: b\n\n' }], { lastEventIdParam: 'lastEventId', lastEventIdHeader: false, reconnect: { delay: 100, jitter: 0 } })
    await run.at(100)
    expect(run.calls).toHaveLength(2)
    expect(run.calls[1]!.headers['last-event-id']).toBeUndefined()
    expect(new URL(run.calls[1]!.url).searchParams.get('lastEventId')).toBe('7')
  })
})

// Issue 28, part 4: a short restart of a cross-origin server dropped Last-Event-ID for good. One row per
// rule of policy.ts's nextLastEventIdMode: (mode, how the attempt ended, whether it sent the header).
describe('policy: Last-Event-ID across origins, as a table', () => {
  const rows: [LastEventIdMode, HeaderOutcome, boolean, LastEventIdMode, string][] = [
    ['send', 'opened', true, 'send', 'a connection with the header: nothing to doubt'],
    ['send', 'cors', true, 'doubt', 'one refusal with the header is an inference: send it once more'],
    ['doubt', 'cors', true, 'probe', 'a second refusal: try without it'],
    ['doubt', 'opened', true, 'send', 'the doubt was a server coming back: the header goes on'],
    ['doubt', 'network', true, 'send', 'a network failure says nothing of the header'],
    ['probe', 'opened', false, 'blocked', 'without the header it opened: CORS refuses the header'],
    ['probe', 'cors', false, 'send', 'refused without it too: the header was not the cause'],
    ['probe', 'network', false, 'send', 'the server went down meanwhile: never given up on that'],
    ['blocked', 'opened', false, 'blocked', 'it stays out while the server answers'],
    ['blocked', 'network', false, 'send', 'after a network failure (a restart, a redeploy) it is tried again'],
    ['blocked', 'cors', false, 'blocked', 'a refusal without the header says nothing of it'],
    ['send', 'cors', false, 'send', 'a refusal of a request that sent no header leaves the header as it was'],
    ['send', 'other', true, 'send', 'an HTTP status or a timeout says nothing of CORS'],
  ]
  it.each(rows)('%s, then %s (header sent: %s) → %s: %s', (mode, outcome, sent, next) => {
    expect(nextLastEventIdMode(mode, outcome, sent)).toBe(next)
  })

  it('sends the header in send and doubt, never in probe and blocked', () => {
    expect((['send', 'doubt', 'probe', 'blocked'] as const).map(sendsLastEventId)).toEqual([true, true, false, false])
  })
})

// docs/spec.md: across origins Last-Event-ID needs CORS consent, and a probe tells refusal from a server down.
// docs/deploying.md ("CORS"): the header is left out after two refusals, "until the next network failure or
// `open()`"; a restarting server keeps getting it. Its defaults (connectTimeout 30 s, resyncAfterHidden 60 s)
// are held by "the defaults of the options page" below.
describe('policy: a cross-origin failure told apart by a no-cors probe', () => {
  /** A page on another origin, a server scripted per request; probes (no-cors HEAD) answer as `probe` says. */
  function crossOrigin(answer: (call: number, init: RequestInit) => 'open' | 'refused' | 'down', options: EventSourceOptions = {}) {
    vi.stubGlobal('location', { origin: 'https://app.test', href: 'https://app.test/' })
    const requests: { lastEventId: string | null, at: number }[] = []
    const probes: number[] = []
    const errors: EventSourceError[] = []
    const t0 = Date.now()
    let upCalls = 0
    const fetch = scriptedFetch(() => ({ body: `id: ${++upCalls}\ndata: x\n\n` }))
    const client = createClient(URL_, {
      reconnect: { delay: 100, jitter: 0 },
      ...options,
      onError: error => errors.push(error),
      fetch: async (url, init) => {
        // A probe follows the request that failed, and finds the server as that request did.
        const verdict = answer(init.mode === 'no-cors' ? requests.length - 1 : requests.length, init)
        if (init.mode === 'no-cors') {
          probes.push(Date.now() - t0)
          if (verdict === 'down')
            throw new TypeError('Failed to fetch')
          return new Response(null, { status: 200 })
        }
        requests.push({ lastEventId: new Headers(init.headers).get('last-event-id'), at: Date.now() - t0 })
        if (verdict !== 'open')
          throw new TypeError('Failed to fetch')
        return fetch(url, init)
      },
    })
    opened.push(client)
    client.open()
    return { client, requests, probes, errors }
  }

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('a server down for a while, then up: network errors, and the header goes on every request', async () => {
    const run = crossOrigin(call => call === 0 || call >= 5 ? 'open' : 'down')
    await vi.advanceTimersByTimeAsync(5000)
    expect(run.requests.slice(0, 7).map(r => r.lastEventId)).toEqual([null, '1', '1', '1', '1', '1', '2'])
    expect(run.requests.slice(1).every(r => r.lastEventId !== null)).toBe(true)
    expect(run.errors.map(e => e.type)).toEqual(['network', 'network', 'network', 'network'])
    expect(run.probes).toHaveLength(4)
  })

  it('a server whose CORS refuses the header: two refusals, then without it, said once as last-event-id', async () => {
    const run = crossOrigin((_, init) => new Headers(init.headers).has('last-event-id') ? 'refused' : 'open')
    await vi.advanceTimersByTimeAsync(5000)
    const sent = run.requests.map(r => r.lastEventId)
    expect(sent.slice(0, 4)).toEqual([null, '1', '1', null])
    expect(sent.slice(4).every(id => id === null)).toBe(true)
    expect(run.errors.slice(0, 3).map(e => e.type)).toEqual(['cors', 'cors', 'last-event-id'])
    expect(run.errors.filter(e => e.type === 'last-event-id')).toHaveLength(1)
    expect(run.errors[0]!.message).toContain('last-event-id')
  })

  it('a restart while the header is blocked: after the network failure it is sent again', async () => {
    let refusing = true
    let down = false
    const run = crossOrigin((_, init) => down ? 'down' : refusing && new Headers(init.headers).has('last-event-id') ? 'refused' : 'open')
    await vi.advanceTimersByTimeAsync(1000)
    expect(run.errors.some(e => e.type === 'last-event-id')).toBe(true)
    // The server is fixed and restarted: down, then up allowing the header.
    refusing = false
    down = true
    await vi.advanceTimersByTimeAsync(1000)
    down = false
    const count = run.requests.length
    await vi.advanceTimersByTimeAsync(3000)
    expect(run.requests.slice(count).every(r => r.lastEventId !== null)).toBe(true)
    expect(run.requests.length).toBeGreaterThan(count)
  })

  it('open() while the header is blocked sends it again', async () => {
    const run = crossOrigin((_, init) => new Headers(init.headers).has('last-event-id') ? 'refused' : 'open')
    await vi.advanceTimersByTimeAsync(1000)
    expect(run.errors.filter(e => e.type === 'last-event-id')).toHaveLength(1)
    expect(run.requests.at(-1)!.lastEventId).toBeNull()
    const count = run.requests.length
    run.client.open()
    await vi.advanceTimersByTimeAsync(0)
    expect(run.requests).toHaveLength(count + 1)
    expect(run.requests[count]!.lastEventId).not.toBeNull()
  })

  // docs/deploying.md: "any answer counts, a 401 or a 405 too, so the server need not route it".
  it('a probe answered 405 (a server that routes no HEAD) still proves the server answered: cors', async () => {
    vi.stubGlobal('location', { origin: 'https://app.test', href: 'https://app.test/' })
    const errors: EventSourceError[] = []
    const client = createClient<string, Record<never, never>>(URL_, {
      reconnect: false,
      onError: error => errors.push(error),
      fetch: async (_, init) => {
        if (init.mode !== 'no-cors')
          throw new TypeError('Failed to fetch')
        return new Response(null, { status: 405 })
      },
    })
    opened.push(client)
    client.open()
    await vi.advanceTimersByTimeAsync(10)
    expect(errors.map(e => e.type)).toEqual(['cors'])
  })

  it('a probe that never answers counts as unreachable after 5 s, and the stream goes on trying', async () => {
    vi.stubGlobal('location', { origin: 'https://app.test', href: 'https://app.test/' })
    const errors: EventSourceError[] = []
    let calls = 0
    const client = createClient<string, Record<never, never>>(URL_, {
      reconnect: { delay: 100, jitter: 0 },
      onError: error => errors.push(error),
      fetch: (_, init) => {
        calls++
        if (init.mode !== 'no-cors')
          return Promise.reject(new TypeError('Failed to fetch'))
        return new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
      },
    })
    opened.push(client)
    client.open()
    await vi.advanceTimersByTimeAsync(4999)
    expect(errors).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(errors.map(e => e.type)).toEqual(['network'])
    expect(calls).toBe(2)
  })
})

// docs/guide/api.md (Options): the defaults the options table gives, each at its boundary on virtual time.
describe('policy: the defaults of the options page', () => {
  it('a token getter that hangs fails the attempt with a token error after 10 s by default, then backs off', async () => {
    const run = start([{ open: true }], { token: () => new Promise<string>(() => {}), reconnect: { delay: 100, jitter: 0 } })
    await run.at(9999)
    expect(run.errors).toEqual([])
    await run.at(10_000)
    expect(run.errors.map(e => e.type)).toEqual(['token'])
    expect(run.errors[0]).toMatchObject({ limit: 10_000 })
    expect(run.client.state).toMatchObject({ readyState: CONNECTING, attempt: 1, retryDelay: 100 })
    expect(run.calls).toHaveLength(0)
  })

  it('with no response headers, the attempt fails with connect-timeout after 30 s by default and reconnects; connectTimeout: 0 waits for ever', async () => {
    const run = start([{ hang: true }, { open: true }], { reconnect: { delay: 100, jitter: 0 } })
    await run.at(29_999)
    expect(run.calls[0]!.aborted).toBe(false)
    expect(run.errors).toEqual([])
    await run.at(30_000)
    expect(run.calls[0]!.aborted).toBe(true)
    expect(run.errors.map(e => e.type)).toEqual(['connect-timeout'])
    expect(run.errors[0]).toMatchObject({ limit: 30_000 })
    await run.at(30_100)
    expect(run.calls).toHaveLength(2)
    expect(run.client.state.readyState).toBe(OPEN)

    const patient = start([{ hang: true }], { connectTimeout: 0 })
    await patient.at(DAY)
    expect(patient.calls).toHaveLength(1)
    expect(patient.calls[0]!.aborted).toBe(false)
    expect(patient.errors).toEqual([])
    expect(patient.client.state.readyState).toBe(CONNECTING)
  })

  // docs/deploying.md (the per-origin limit): said at once, and the attempt fails within 15 s.
  it('from a page with 6 streams open to an HTTP/1.1 origin, a 7th warns at once in development and fails with connect-timeout at 15 s, not 14,999 ms; with 5 open it waits the whole 30 s', async () => {
    vi.stubGlobal('location', { origin: 'https://app.test', href: 'https://app.test/' })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const five = Array.from({ length: 5 }, () => start([{ open: true }]))
    await vi.advanceTimersByTimeAsync(1)
    expect(five.every(run => run.client.state.readyState === OPEN)).toBe(true)
    const sixth = start([{ hang: true }], { reconnect: false })
    await sixth.at(29_999)
    expect(warn).not.toHaveBeenCalled()
    expect(sixth.errors).toEqual([])
    await sixth.at(30_000)
    expect(sixth.errors[0]).toMatchObject({ type: 'connect-timeout', limit: 30_000 })

    five.push(start([{ open: true }]))
    await vi.advanceTimersByTimeAsync(1)
    const seventh = start([{ hang: true }], { reconnect: false })
    await seventh.at(0)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toMatch(/waits in the browser's queue: this page holds 6 streams to https:\/\/sse\.test, the per-origin limit; share them \(useSharedEventSource, shareAcrossTabs\) or use HTTP\/2/)
    await seventh.at(14_999)
    expect(seventh.calls[0]!.aborted).toBe(false)
    await seventh.at(15_000)
    expect(seventh.calls[0]!.aborted).toBe(true)
    expect(seventh.errors[0]).toMatchObject({ type: 'connect-timeout', limit: 15_000 })
    expect(seventh.errors[0]!.message).toContain('6 streams')
  })

  it('seven started together: the one still waiting when the 6th opens warns then, and fails 15 s after it began', async () => {
    vi.stubGlobal('location', { origin: 'https://app.test', href: 'https://app.test/' })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const held = start([{ hang: true }], { reconnect: false })
    const six = Array.from({ length: 6 }, () => start([{ open: true }]))
    await held.at(0)
    expect(six.every(run => run.client.state.readyState === OPEN)).toBe(true)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toContain('this page holds 6 streams to https://sse.test')
    await held.at(14_999)
    expect(held.errors).toEqual([])
    await held.at(15_000)
    expect(held.errors[0]).toMatchObject({ type: 'connect-timeout', limit: 15_000 })
    // One warning per held attempt: the six already open are not told again.
    expect(warn).toHaveBeenCalledTimes(1)
  })

  it('the 7th stream is not held to 15 s when the page has seen the origin speak HTTP/2, nor outside a page (Node has no such limit)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const six = Array.from({ length: 6 }, () => start([{ open: true }]))
    await vi.advanceTimersByTimeAsync(1)
    expect(six.every(run => run.client.state.readyState === OPEN)).toBe(true)
    const node = start([{ hang: true }], { reconnect: false })
    await node.at(29_999)
    expect(node.errors).toEqual([])

    vi.stubGlobal('location', { origin: 'https://app.test', href: 'https://app.test/' })
    vi.spyOn(performance, 'getEntries').mockReturnValue([{ name: `${URL_}?warm`, entryType: 'resource', nextHopProtocol: 'h2' }] as unknown as PerformanceEntryList)
    const h2 = start([{ hang: true }], { reconnect: false })
    await h2.at(15_000)
    expect(h2.errors).toEqual([])
    await h2.at(30_000)
    expect(h2.errors[0]).toMatchObject({ type: 'connect-timeout', limit: 30_000 })
    expect(warn).not.toHaveBeenCalled()
  })

  it('without heartbeatTimeout, a stream silent for a day is kept open', async () => {
    const run = start([{ open: true }])
    await run.at(DAY)
    expect(run.calls).toHaveLength(1)
    expect(run.calls[0]!.aborted).toBe(false)
    expect(run.errors).toEqual([])
    expect(run.client.state.readyState).toBe(OPEN)
  })

  it('a hide of 60 s by default counts as a possible silent drop: visible again, the open stream is replaced, resuming with Last-Event-ID; 1 ms less does not', async () => {
    let hidden = false
    const listeners = new Set<() => void>()
    const signals = {
      hidden: () => hidden,
      online: () => true,
      subscribe: (listener: () => void) => {
        listeners.add(listener)
        return () => {
          listeners.delete(listener)
        }
      },
    }
    const setHidden = (value: boolean): void => {
      hidden = value
      for (const listener of [...listeners])
        listener()
    }
    const resyncs: { reason: string, lastEventId: string }[] = []
    const run = start([{ body: 'id: 1\ndata: a\n\n', open: true }], { signals, onResync: info => resyncs.push(info) })
    await run.at(0)
    expect(run.client.state.readyState).toBe(OPEN)
    setHidden(true)
    await run.at(59_999)
    setHidden(false)
    await run.at(59_999)
    expect(resyncs).toEqual([])
    expect(run.calls).toHaveLength(1)
    setHidden(true)
    await run.at(119_999)
    setHidden(false)
    await run.at(119_999)
    expect(resyncs.map(r => [r.reason, r.lastEventId])).toEqual([['hidden', '1']])
    expect(run.calls).toHaveLength(2)
    expect(run.calls[0]!.aborted).toBe(true)
    expect(run.calls[1]!.headers['last-event-id']).toBe('1')
  })
})

// docs/guide/api.md (Returned values): "`open()` | | Connect, or reconnect now with the attempt count reset."
describe('policy: open()', () => {
  it('open() during a backoff connects at once, with the attempt count reset', async () => {
    const run = start([{ status: 500 }, { status: 500 }, { open: true }], { reconnect: { delay: 1000, jitter: 0 } })
    await run.at(1000)
    expect(run.client.state).toMatchObject({ readyState: CONNECTING, attempt: 2, retryDelay: 2000 })
    run.client.open()
    expect(run.client.state.attempt).toBe(0)
    await run.at(1000)
    expect(run.times()).toEqual([0, 1000, 1000])
    expect(run.client.state).toMatchObject({ readyState: OPEN, attempt: 0, retryDelay: null })
  })
})

// docs/guide/reconnection.md: the timing rules of the page ("After a clean end … the client waits the
// reconnection time: the server's `retry:`, else `reconnect.delay`", backoff, jitter, Retry-After, giving up).
describe('policy: the reconnection page', () => {
  it('after a clean end without retry:, reconnects after reconnect.delay, not before', async () => {
    const run = start([{ body: 'id: 1\ndata: x\n\n' }], { reconnect: { delay: 700, jitter: 0 } })
    await run.at(699)
    expect(run.calls).toHaveLength(1)
    expect(run.client.state).toMatchObject({ readyState: CONNECTING, attempt: 1, retryDelay: 700 })
    await run.at(700)
    expect(run.calls).toHaveLength(2)
    expect(run.calls[1]!.headers['last-event-id']).toBe('1')
  })
})

// policy.ts as tables: one row per rule, what is known in, the decision out; no client, no clock.
describe('policy: what follows an attempt, as a table', () => {
  const retry = resolveRetryPolicy(undefined, 'GET')
  const noRetry = resolveRetryPolicy(undefined, 'POST')
  const network = new EventSourceError('network', 'down')
  const cut = new EventSourceError('incomplete', 'cut off')
  const refused = new EventSourceHttpError(401, null)
  const unavailable = new EventSourceHttpError(503, 2000)
  const notFound = new EventSourceHttpError(404, null)
  const nothing = new EventSourceError('incomplete', 'nothing more')
  const gone = new EventSourceHttpError(410, null)
  const context = (over: Partial<EndContext> = {}): EndContext => ({ method: 'GET', retry, declaresEnd: false, freshTokenAllowed: false, cutOff: why => why === 'cut' ? cut : nothing, sentLastEventId: false, resuming: false, resumable: false, fresh: true, ...over })
  // A POST run with a resume URL: its policy is resume's (a GET's backoff, bounded)
  const run = { method: 'POST', retry, resumable: true }
  const rows: [string, AttemptEnd, Partial<EndContext>, Next][] = [
    ['[spec] a GET stream that ends is reestablished, with no error', { kind: 'ended' }, {}, { then: 'reconnect', error: null, retryAfter: null }],
    ['[NON-SPEC] a stream of another method that ends is complete: closed, done', { kind: 'ended' }, { method: 'POST', retry: noRetry }, { then: 'close', done: true, clearError: false }],
    ['[NON-SPEC] a GET stream that ends before its declared end was cut off: reconnect with the error', { kind: 'ended' }, { declaresEnd: true }, { then: 'reconnect', error: cut, retryAfter: null }],
    ['[NON-SPEC] a POST cut off before its declared end fails, even without a policy', { kind: 'ended' }, { method: 'POST', retry: noRetry, declaresEnd: true }, { then: 'reconnect', error: cut, retryAfter: null }],
    ['[spec] 204 stops; [NON-SPEC] with no error, done', { kind: 'stop' }, {}, { then: 'close', done: true, clearError: true }],
    ['[NON-SPEC] a 401 with a refresh left: connect again at once with a fresh token', { kind: 'unauthorized', error: refused }, { freshTokenAllowed: true }, { then: 'refresh' }],
    ['[spec] a 401 with no refresh left fails the connection', { kind: 'unauthorized', error: refused }, {}, { then: 'fail', error: refused }],
    ['[NON-SPEC] a retryable failure is reestablished, with its Retry-After', { kind: 'fail', error: unavailable, retryable: true, retryAfter: 2000 }, {}, { then: 'reconnect', error: unavailable, retryAfter: 2000 }],
    ['[spec] a failure that is not retryable fails the connection', { kind: 'fail', error: notFound, retryable: false, retryAfter: null }, {}, { then: 'fail', error: notFound }],
    ['retryStatus overrides the judgement of an HTTP status', { kind: 'fail', error: notFound, retryable: false, retryAfter: null }, { retry: resolveRetryPolicy({ retryStatus: () => true }, 'GET') }, { then: 'reconnect', error: notFound, retryAfter: null }],
    ['retryStatus does not judge a failure without a status', { kind: 'fail', error: network, retryable: true, retryAfter: null }, { retry: resolveRetryPolicy({ retryStatus: () => false }, 'GET') }, { then: 'reconnect', error: network, retryAfter: null }],
    ['the client\'s own abort: it already decided', { kind: 'aborted' }, {}, { then: 'none' }],
    ['[NON-SPEC] a run cut off before its declared end resumes', { kind: 'ended' }, { ...run, declaresEnd: true }, { then: 'reconnect', error: cut, retryAfter: null }],
    ['[NON-SPEC] a run\'s stream that ends, with no end declared, is the run\'s end: closed, done', { kind: 'ended' }, run, { then: 'close', done: true, clearError: false }],
    ['[NON-SPEC] so is a resume\'s, even on a GET', { kind: 'ended' }, { ...run, method: 'GET', resuming: true }, { then: 'close', done: true, clearError: false }],
    ['[NON-SPEC] a resume that ends with nothing new before the declared end: the end was not seen, closed', { kind: 'ended' }, { ...run, method: 'GET', resuming: true, declaresEnd: true, fresh: false }, { then: 'fail', error: nothing }],
    ['[NON-SPEC] a resume that brought new events and ends before the declared end resumes again', { kind: 'ended' }, { ...run, method: 'GET', resuming: true, declaresEnd: true, fresh: true }, { then: 'reconnect', error: cut, retryAfter: null }],
    ['[NON-SPEC] a resume answered 204: nothing to resume, the end was not seen', { kind: 'stop' }, { ...run, resuming: true }, { then: 'fail', error: nothing }],
    ['[NON-SPEC] a run\'s first request answered 204 is done', { kind: 'stop' }, run, { then: 'close', done: true, clearError: true }],
    ['[NON-SPEC] a resume answered 5xx retries with the resume policy', { kind: 'fail', error: unavailable, retryable: true, retryAfter: 2000 }, { ...run, resuming: true }, { then: 'reconnect', error: unavailable, retryAfter: 2000 }],
    ['[NON-SPEC] a resume answered 404 fails', { kind: 'fail', error: notFound, retryable: false, retryAfter: null }, { ...run, resuming: true }, { then: 'fail', error: notFound }],
    ['[NON-SPEC] a reconnect with a last event ID answered 410: a gap, and the stream goes on', { kind: 'fail', error: gone, retryable: false, retryAfter: null }, { sentLastEventId: true }, { then: 'gap', error: null }],
    ['[NON-SPEC] a resume with a last event ID answered 410: a gap, and the run fails', { kind: 'fail', error: gone, retryable: false, retryAfter: null }, { ...run, resuming: true, sentLastEventId: true }, { then: 'gap', error: gone }],
    ['a 410 to a request without a last event ID is a plain failure', { kind: 'fail', error: gone, retryable: false, retryAfter: null }, {}, { then: 'fail', error: gone }],
  ]
  it.each(rows)('%s', (_, end, over, next) => {
    expect(afterEnd(end, context(over))).toEqual(next)
  })
})

describe('policy: how a reconnection goes on, as a table', () => {
  const policy = resolveRetryPolicy({ retries: 3 }, 'GET')!
  const rows: [string, number, boolean, Reconnection][] = [
    ['the first reconnection is attempt 1', 0, false, { then: 'wait', attempt: 1 }],
    ['[NON-SPEC] offline: hold, and count nothing', 2, true, { then: 'hold' }],
    ['the last attempt the policy allows', 2, false, { then: 'wait', attempt: 3 }],
    ['[NON-SPEC] one past `retries`: give up', 3, false, { then: 'give-up', attempt: 4 }],
  ]
  it.each(rows)('%s', (_, failures, offline, next) => {
    expect(reconnection(policy, failures, offline)).toEqual(next)
  })

  it('[NON-SPEC] a floor survives a hold; coming back online lowers it to the server\'s Retry-After only', () => {
    const floors = floorsOf(10_000, 4000, 2000)
    expect(floors).toEqual({ notBefore: 14_000, serverNotBefore: 12_000 })
    expect(dueAfterHold(floors, false)).toBe(14_000)
    expect(dueAfterHold(floors, true)).toBe(12_000)
    expect(dueAfterHold(floorsOf(10_000, 4000, null), true)).toBe(0)
  })
})

describe('policy: the page, as a table', () => {
  const visible = { hidden: false, online: true }
  const hidden = { hidden: true, online: true }
  const offline = { hidden: false, online: false }
  const change = (page: PageState, cameOnline = false, hiddenFor: number | null = null): PageEvent => ({ kind: 'change', page, cameOnline, hiddenFor })
  const pausing = { pauseWhenHidden: true, resyncAfterHidden: 60_000, replaceable: true }
  const staying = { pauseWhenHidden: false, resyncAfterHidden: 60_000, replaceable: true }
  // A POST without a resume URL: replacing it would send it again
  const once = { ...staying, replaceable: false }

  it.each([
    ['without page signals, never', null, true, null],
    ['a visible, online page: no reason', visible, true, null],
    ['offline, hidden or not', { hidden: true, online: false }, false, 'offline'],
    ['hidden, with pauseWhenHidden', hidden, true, 'hidden'],
    ['hidden, without it', hidden, false, null],
  ] as const)('[NON-SPEC] hold reason: %s', (_, page, pauseWhenHidden, reason) => {
    expect(holdReason(page, pauseWhenHidden)).toBe(reason)
  })

  const rows: [string, PageEvent, PhaseName, HoldReason | null, typeof pausing, PageDecision][] = [
    ['a closed client follows no page', change(hidden), 'closed', null, pausing, { then: 'none' }],
    ['with pauseWhenHidden, hiding holds', change(hidden), 'open', null, pausing, { then: 'hold' }],
    ['hiding while already held for the page holds once', change(hidden), 'held', 'hidden', pausing, { then: 'none' }],
    ['without pauseWhenHidden, hiding does nothing, even during a backoff', change(hidden), 'waiting', null, staying, { then: 'none' }],
    ['becoming visible while held for the page releases', change(visible), 'held', 'hidden', pausing, { then: 'release', cameOnline: false }],
    ['coming back online while held for the network releases', change(visible, true), 'held', 'offline', pausing, { then: 'release', cameOnline: true }],
    ['coming back online while hidden, with pauseWhenHidden, holds for the page instead', change(hidden, true), 'held', 'offline', pausing, { then: 'hold' }],
    ['coming back online during a backoff releases, to cut it short', change(visible, true), 'waiting', null, staying, { then: 'release', cameOnline: true }],
    ['coming back online while open or connecting does nothing', change(visible, true), 'open', null, staying, { then: 'none' }],
    ['a change that is no return to the network does nothing during a backoff', change(visible), 'waiting', null, staying, { then: 'none' }],
    ['going offline does nothing to an open stream (it fails on its own, or not)', change(offline), 'open', null, staying, { then: 'none' }],
    ['back from a hide of resyncAfterHidden: resync an open stream', change(visible, false, 60_000), 'open', null, staying, { then: 'resync', reason: 'hidden' }],
    ['back from a shorter hide: nothing', change(visible, false, 59_999), 'open', null, staying, { then: 'none' }],
    ['back from a long hide while connecting: nothing (the new connection resumes anyway)', change(visible, false, 120_000), 'connecting', null, staying, { then: 'none' }],
    ['back from a long hide while held for it: released, not resynced', change(visible, false, 120_000), 'held', 'hidden', pausing, { then: 'release', cameOnline: false }],
    ['a back/forward-cache restore resyncs an open stream', { kind: 'revive', reason: 'pageshow' }, 'open', null, staying, { then: 'resync', reason: 'pageshow' }],
    ['a resume after a freeze resyncs an open stream', { kind: 'revive', reason: 'resume' }, 'open', null, staying, { then: 'resync', reason: 'resume' }],
    ['a revival of a stream not open does nothing', { kind: 'revive', reason: 'resume' }, 'waiting', null, staying, { then: 'none' }],
    ['a back/forward-cache restore leaves a POST without a resume URL alone: it is never sent again', { kind: 'revive', reason: 'pageshow' }, 'open', null, once, { then: 'none' }],
    ['so does a long hide', change(visible, false, 120_000), 'open', null, once, { then: 'none' }],
  ]
  it.each(rows)('[NON-SPEC] %s', (_, event, phase, held, options, decision) => {
    expect(pageDecision(event, phase, held, options)).toEqual(decision)
  })
})
