// Tests here hold promises of docs/guide/reconnection.md and docs/guide/errors.md (listed in tests/fixtures/promises/).
/**
 * The rule: against a failing server the request rate is bounded by the reconnect policy (backoff from
 * reconnect.delay, doubling), whatever the server's retry: said; a retry: sets the wait after a clean end.
 * Each case on virtual time, a scripted fetch answering, so the bound is exact: the request times the
 * policy gives, none earlier, none more. (The same rules over a real socket: clientReconnect.test.ts.)
 */
import type { EventSourceError } from '../../src/core/errors'
import type { EventSourceMessage, EventSourceOptions } from '../../src/core/types'
import type { ScriptedResponse } from '../support/scriptedFetch'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/core/client'
import { scriptedFetch } from '../support/scriptedFetch'

const URL_ = 'https://sse.test/stream'
const policy = { reconnect: { delay: 100, jitter: 0 } }
const closers: (() => void)[] = []

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  for (const close of closers.splice(0))
    close()
  vi.useRealTimers()
})

/** A client on a scripted fetch; `times()` says when each request was made, in ms after open(). */
function run(script: ScriptedResponse[] | ((index: number) => ScriptedResponse), options: EventSourceOptions = {}) {
  const fetch = scriptedFetch(script)
  const t0 = Date.now()
  const messages: EventSourceMessage[] = []
  const errors: EventSourceError[] = []
  const client = createClient<string, Record<never, never>>(URL_, { ...options, fetch, onMessage: m => messages.push(m), onError: e => errors.push(e) })
  closers.push(client.close)
  client.open()
  return { messages, errors, times: () => fetch.calls.map(call => call.at - t0) }
}

describe('the request rate against a failing server is bounded, whatever retry: said', () => {
  it('retry: 0, then 503 every time: backoff still grows from reconnect.delay', async () => {
    const { messages, times } = run(index => index === 0 ? { body: 'retry: 0\nid: 1\ndata: hello\n\n' } : { status: 503 }, policy)
    await vi.advanceTimersByTimeAsync(2999)
    expect(messages).toHaveLength(1)
    // The clean end waits retry: 0; then 200, 400, 800, 1600 ms: the floor is reconnect.delay, not retry:.
    expect(times()).toEqual([0, 0, 200, 600, 1400])
    await vi.advanceTimersByTimeAsync(1)
    expect(times()).toEqual([0, 0, 200, 600, 1400, 3000])
  })

  it('retry: 0, then empty streams: a stream that ends without an event counts as a failure', async () => {
    const { times } = run(index => ({ body: index === 0 ? 'retry: 0\nid: 1\ndata: hello\n\n' : ': nothing\n\n' }), policy)
    await vi.advanceTimersByTimeAsync(2999)
    expect(times()).toEqual([0, 0, 200, 600, 1400])
  })

  it('retry: 0, then refused connections: the same bound', async () => {
    const { errors, times } = run(index => index === 0 ? { body: 'retry: 0\nid: 1\ndata: hello\n\n' } : { reject: new TypeError('fetch failed') }, policy)
    await vi.advanceTimersByTimeAsync(2999)
    expect(times()).toEqual([0, 0, 200, 600, 1400])
    expect(errors.map(e => e.type)).toEqual(['network', 'network', 'network', 'network'])
  })

  it('with the default policy, retry: 0 then 503 makes a handful of requests in 3 s, not thousands', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { times } = run(index => index === 0 ? { body: 'retry: 0\ndata: hello\n\n' } : { status: 503 })
    await vi.advanceTimersByTimeAsync(3000)
    // 1 s doubling from the default delay: 0 (the clean end, retry: 0), then 2 s.
    expect(times()).toEqual([0, 0, 2000])
  })

  it('a retry: 0 still reconnects at once after a clean end that followed events, as the spec says', async () => {
    const streams = ['retry: 0\nid: 1\ndata: a\n\n', 'id: 2\ndata: b\n\n', 'id: 3\ndata: c\n\n']
    const { messages, times } = run(index => index < 3 ? { body: streams[index]! } : { open: true }, { reconnect: { delay: 5000, jitter: 0 } })
    await vi.advanceTimersByTimeAsync(1)
    expect(messages.slice(0, 3).map(m => m.data)).toEqual(['a', 'b', 'c'])
    // At once: a 0 ms timer (which Node's timers, and so the fake ones, run after 1 ms), never reconnect.delay.
    expect(Math.max(...times().slice(0, 3))).toBeLessThanOrEqual(1)
  })
})
