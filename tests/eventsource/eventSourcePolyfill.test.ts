/**
 * The drop-in `EventSourcePolyfill` in Node against the real scenario server: event-source-polyfill
 * 1.0.31's documented options, and the users' guide shape (b) unchanged apart from the import.
 * docs/migrating.md ("From `event-source-polyfill`") promises these, and what differs.
 */
import type { EventSourcePolyfillInit } from '../../src/eventsource/index'
import { describe, expect, it, vi } from 'vitest'
import { EventSource, EventSourcePolyfill } from '../../src/eventsource/index'
import { guideShapeB } from '../fixtures/guides'
import { sleep, uniqueKey, until, useTestServer } from '../support/helpers'
import { scriptedFetch } from '../support/scriptedFetch'

const server = useTestServer()

describe('drop-in EventSourcePolyfill: its options', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('sends the headers, resumes with ?lastEventId= and no Last-Event-ID header, and exposes headers', async () => {
    const key = uniqueKey()
    const source = new EventSourcePolyfill(server.current.route('events', { key, count: 4, per: 2, retry: 10 }), { headers: { 'X-Tenant': 't1' } })
    expect(source).toBeInstanceOf(EventSource)
    expect(source.headers).toEqual({ 'X-Tenant': 't1' })
    const data: string[] = []
    source.onmessage = event => data.push(event.data)
    await until(() => data.length === 4)
    source.close()
    expect(data).toEqual(['event 1', 'event 2', 'event 3', 'event 4'])
    const [first, second] = server.current.stats(key).requests
    expect(first!.headers['x-tenant']).toBe('t1')
    expect(new URL(second!.url, server.current.url).searchParams.get('lastEventId')).toBe('2')
    expect(second!.headers['last-event-id']).toBeUndefined()
  })

  it('lastEventIdQueryParameterName names the query parameter', async () => {
    const key = uniqueKey()
    const source = new EventSourcePolyfill(server.current.route('events', { key, count: 2, per: 1, retry: 10 }), { lastEventIdQueryParameterName: 'from' })
    const data: string[] = []
    source.onmessage = event => data.push(event.data)
    await until(() => data.length === 2)
    source.close()
    expect(new URL(server.current.stats(key).requests[1]!.url, server.current.url).searchParams.get('from')).toBe('1')
  })

  it('heartbeatTimeout replaces a silent connection (clamped to at least 1 s, as the polyfill does)', async () => {
    const key = uniqueKey()
    const source = new EventSourcePolyfill(server.current.route('stalled', { key }), { heartbeatTimeout: 10 })
    const errors: string[] = []
    source.onerror = event => errors.push(event.error?.type ?? 'none')
    await sleep(700)
    expect(errors).toEqual([])
    await until(() => errors.length > 0, 3000)
    source.close()
    expect(errors[0]).toBe('heartbeat-timeout')
  })
})

// Promised in README.md (tests/fixtures/promises/).
describe('drop-in EventSourcePolyfill: what differs', () => {
  it('takes fetch in place of Transport, and token, method and body too', async () => {
    // @ts-expect-error `Transport` is not accepted: requests go through `fetch`
    const withTransport: EventSourcePolyfillInit = { Transport: class {} }
    expect(withTransport).toBeDefined()
    const key = uniqueKey()
    const fetched: string[] = []
    const source = new EventSourcePolyfill(server.current.route('echo', { key, hold: true }), {
      fetch: (url, init) => {
        fetched.push(`${init.method} ${url}`)
        return globalThis.fetch(url, init)
      },
      token: () => 'polyfill-token',
      method: 'POST',
      body: { q: 1 },
    })
    const seen: string[] = []
    source.onmessage = event => seen.push(event.data)
    await until(() => seen.length === 1)
    source.close()
    expect(fetched).toEqual([`POST ${server.current.route('echo', { key, hold: true })}`])
    const request = JSON.parse(seen[0]!) as { method: string, headers: Record<string, string>, body: string }
    expect([request.method, request.headers.authorization, request.body]).toEqual(['POST', 'Bearer polyfill-token', '{"q":1}'])
  })

  it('with no heartbeatTimeout, replaces a connection silent for 45 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
    try {
      const fetch = scriptedFetch([{ open: true }])
      const source = new EventSourcePolyfill('https://sse.test/stream', { fetch })
      await vi.advanceTimersByTimeAsync(44_999)
      expect(fetch.calls[0]!.aborted).toBe(false)
      // at the timeout the watchdog looks once more, one task (a 1 ms timer) later
      await vi.advanceTimersByTimeAsync(2)
      expect(fetch.calls[0]!.aborted).toBe(true)
      expect(fetch.calls[0]!.signal.reason).toMatchObject({ type: 'heartbeat-timeout', limit: 45_000 })
      source.close()
    }
    finally {
      vi.useRealTimers()
    }
  })
})

describe('drop-in EventSourcePolyfill: the users\' guide shape (b), unchanged apart from the import', () => {
  it('a module-level singleton that closes in onerror and reconnects itself after min(30000, 1000 × 2^n) ms', async () => {
    const key = uniqueKey()
    const base = server.current.url
    const url = `/drop?key=${key}&count=1&after=20`
    const token = 'guide-token'
    const run = guideShapeB(EventSourcePolyfill, base, url, token)
    const { opens: opened, seen } = run
    await until(() => opened.length === 3, 10_000)
    const requests = server.current.stats(key).requests
    // Only the guide's own timer reconnects: one request per open, about a second apart.
    expect(requests).toHaveLength(3)
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(1000)
    expect(requests.every(r => r.headers.authorization === `Bearer ${token}`)).toBe(true)
    expect(seen.slice(0, 2)).toEqual(['event 1', 'event 1'])
    run.stop()
    const count = server.current.stats(key).requests.length
    await sleep(1500)
    // the instances the guide closed never came back on their own
    expect(server.current.stats(key).requests).toHaveLength(count)
  }, 20_000)
})
