// Tests here hold promises of docs/guide/reconnection.md (listed in tests/fixtures/promises/).
import type { EventSourceError } from '../../src/index'
import { describe, expect, inject, it, vi } from 'vitest'
import { createEventSource } from '../../src/index'
import { limitServer, server, stats, uniqueKey } from './stats'

// The test page and the scenario servers are on different 127.0.0.1 ports: every request here is
// cross-origin, as for an app whose API lives on another host. The rules: a cross-origin request refused
// before any response is reported as `cors`, naming CORS; a refused Last-Event-ID is named and the
// stream resumes without it instead of hanging; a request stuck behind the per-origin limit says so.
// docs/spec.md: across origins, Last-Event-ID needs the server's consent ([NON-SPEC]).
// docs/deploying.md gives each symptom and its fix ("CORS", "Proxies and compression", "HTTP/2 and the
// per-origin limit").

// What seed 003's Node server allows, and no more.
const SEED_003_HEADERS = 'Content-Type,Content-Length,Authorization,Accept,X-Requested-With'

function recorder(): { errors: EventSourceError[], onError: (error: EventSourceError) => void } {
  const errors: EventSourceError[] = []
  return { errors, onError: error => errors.push(error) }
}

describe('cross-origin, in Chromium', () => {
  it('a server whose CORS preflight does not allow Last-Event-ID: a cors error names it, and the stream goes on without it', async () => {
    const key = uniqueKey()
    const { errors, onError } = recorder()
    const ids: string[] = []
    const client = createEventSource(server.route('events', { key, count: 1000, per: 2, allowHeaders: SEED_003_HEADERS }), { reconnect: { delay: 20, jitter: 0 }, onError })
    client.on('message', m => ids.push(m.lastEventId))
    client.open()
    await vi.waitFor(() => expect(errors.some(e => e.type === 'last-event-id' && e.message.includes('Last-Event-ID') && e.message.includes('Access-Control-Allow-Headers'))).toBe(true), { timeout: 5000 })
    await vi.waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(8), { timeout: 5000 })
    expect(errors.find(e => e.type === 'last-event-id')!.message).toContain('may have been missed')
    // The refusals name the header; the dropped header is its own type, so an app can react to the loss.
    expect(errors.filter(e => e.type === 'cors').every(e => e.message.includes('last-event-id'))).toBe(true)
    expect(errors.filter(e => e.type === 'last-event-id')).toHaveLength(1)
    // Refused twice with the header (a server restarting may have come up in between: the second refusal
    // confirms the first), each told from a network failure by a no-cors HEAD; then without it, for good.
    // The refused requests never reach the server (their preflight is refused).
    expect(errors.filter(e => e.type === 'cors')).toHaveLength(2)
    const seen = (await stats(key)).requests
    expect(seen.filter(r => r.method === 'HEAD')).toHaveLength(2)
    const gets = seen.filter(r => r.method === 'GET')
    expect(gets.length).toBeGreaterThanOrEqual(4)
    expect(gets.every(r => r.headers['last-event-id'] === undefined)).toBe(true)
    client.close()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('with lastEventIdParam, the same server resumes from the query parameter: no gap, no duplicate', async () => {
    const key = uniqueKey()
    const { errors, onError } = recorder()
    const ids: string[] = []
    const client = createEventSource(server.route('events', { key, count: 9, per: 2, allowHeaders: SEED_003_HEADERS }), { reconnect: { delay: 20, jitter: 0 }, lastEventIdParam: 'lastEventId', onError })
    client.on('message', m => ids.push(m.lastEventId))
    client.open()
    await vi.waitFor(() => expect(ids).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']), { timeout: 5000 })
    expect((await stats(key)).requests.map(r => new URL(r.url, 'http://x').searchParams.get('lastEventId'))).toContain('8')
    expect(errors.filter(e => e.type === 'last-event-id').map(e => e.message).join(' ')).toContain('Last-Event-ID')
    client.close()
  })

  it('a server with no CORS headers (seed 000 verbatim): a cors error, not "network", and retries back off', async () => {
    const key = uniqueKey()
    const { errors, onError } = recorder()
    const client = createEventSource(server.route('forever', { key, cors: 'none' }), { reconnect: { delay: 50, jitter: 0 }, onError })
    const delays: number[] = []
    client.subscribe(state => state.retryDelay !== null && delays.push(state.retryDelay))
    client.open()
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(3), { timeout: 5000 })
    client.close()
    expect(errors.every(e => e.type === 'cors')).toBe(true)
    expect(errors[0]!.message).toContain('CORS refused')
    expect(errors[0]!.message).toContain(`Access-Control-Allow-Origin: ${location.origin}`)
    expect(delays.slice(0, 3)).toEqual([50, 100, 200])
    // The server did answer: the browser discarded the response.
    expect((await stats(key)).requests.length).toBeGreaterThanOrEqual(3)
  })
})

describe('what the server must send, in Chromium', () => {
  it('a proxy\'s error page without CORS headers (a 502 while the server restarts) reads as cors', async () => {
    const key = uniqueKey()
    const { errors, onError } = recorder()
    const client = createEventSource(server.route('status', { key, code: 502, cors: 'none' }), { reconnect: { delay: 50, jitter: 0 }, onError })
    client.open()
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
    client.close()
    expect(errors.map(e => e.type)).toEqual(errors.map(() => 'cors'))
    expect(errors[0]!.message).toContain('A proxy\'s error page without CORS headers reads the same')
    expect((await stats(key)).requests.filter(r => r.method === 'GET').length).toBeGreaterThanOrEqual(2)
  })

  it('a JSON body to a server whose preflight does not allow Content-Type: a cors error that names content-type', async () => {
    const key = uniqueKey()
    const { errors, onError } = recorder()
    const client = createEventSource(server.route('echo', { key, allowHeaders: 'Authorization' }), { method: 'POST', body: { q: 1 }, onError })
    client.open()
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 })
    expect(errors[0]!.type).toBe('cors')
    expect(errors[0]!.message).toContain('Access-Control-Allow-Headers: content-type')
    expect(client.state.readyState).toBe(2)
    // the preflight was refused: the POST itself never reached the server, only the probe did
    expect((await stats(key)).requests.map(r => r.method)).toEqual(['HEAD'])
  })
})

describe('the per-origin connection limit, in Chromium', () => {
  // Promised in docs/deploying.md (tests/fixtures/promises/): said at once, not after the connect timeout.
  it('seven streams opened together: the one the browser holds back is named in the console as soon as six are open', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const streams = Array.from({ length: 7 }, () => createEventSource(limitServer.route('forever', { key: uniqueKey(), interval: 200 }), { connectTimeout: 20_000 }))
    for (const stream of streams)
      stream.open()
    await vi.waitFor(() => expect(streams.filter(s => s.state.readyState === 1)).toHaveLength(6), { timeout: 10_000 })
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(1), { timeout: 1000 })
    expect(String(warn.mock.calls[0]![0])).toContain('waits in the browser\'s queue: this page holds 6 streams')
    expect(streams.filter(s => s.state.readyState === 0)).toHaveLength(1)
    warn.mockRestore()
    // The one still queued first: closing an open one first would let the browser send it, only to cancel it.
    for (const stream of streams.sort((a, b) => a.state.readyState - b.state.readyState))
      stream.close()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a 7th stream to one origin fails with connect-timeout naming the 6-connection limit, instead of hanging at CONNECTING', async () => {
    const streams = Array.from({ length: 6 }, () => createEventSource(limitServer.route('forever', { key: uniqueKey(), interval: 200 })))
    for (const stream of streams)
      stream.open()
    await vi.waitFor(() => expect(streams.every(s => s.state.readyState === 1)).toBe(true), { timeout: 10_000 })
    const { errors, onError } = recorder()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const seventh = createEventSource(limitServer.route('forever', { key: uniqueKey() }), { connectTimeout: 500, reconnect: false, onError })
    seventh.open()
    // Said at once, in development: the Resource Timing entries show the origin speaks HTTP/1.1.
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(1), { timeout: 1000 })
    expect(String(warn.mock.calls[0]![0])).toContain('waits in the browser\'s queue: this page holds 6 streams')
    expect(errors).toEqual([])
    warn.mockRestore()
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 3000 })
    expect(errors[0]!.type).toBe('connect-timeout')
    expect(errors[0]!.message).toContain('6 streams')
    expect(errors[0]!.message).toContain('per-origin limit')
    expect(errors[0]!.message).toContain('useSharedEventSource')
    expect(errors[0]!.message).toContain('shareAcrossTabs')
    expect(errors[0]!.message).toContain('HTTP/2')
    expect(seventh.state.readyState).toBe(2)
    for (const stream of streams)
      stream.close()
    // With one of the six closed, a new stream gets through.
    const next = createEventSource(limitServer.route('forever', { key: uniqueKey() }), { connectTimeout: 2000 })
    next.open()
    await vi.waitFor(() => expect(next.state.readyState).toBe(1), { timeout: 5000 })
    next.close()
  })
})

describe('against express servers written as the seeds write them, in Chromium', () => {
  const express = inject('expressUrl')

  it('seed 000 (express, no CORS): a cors error naming CORS, retried with backoff', async () => {
    const { errors, onError } = recorder()
    const client = createEventSource(`${express}/plain/events`, { reconnect: { delay: 50, jitter: 0 }, onError })
    client.open()
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
    client.close()
    expect(errors.map(e => e.type)).toEqual(errors.map(() => 'cors'))
    expect(errors[0]!.message).toContain('CORS refused')
  })

  it('seed 003\'s headers through the cors middleware: Last-Event-ID refused is named, the stream goes on, and lastEventIdParam resumes exactly', async () => {
    const { errors, onError } = recorder()
    const ids: number[] = []
    const client = createEventSource<{ n: number }>(`${express}/cors/events`, { parse: 'json', reconnect: { delay: 20, jitter: 0 }, onError })
    client.on('message', m => ids.push(m.data.n))
    client.open()
    await vi.waitFor(() => expect(errors.some(e => e.type === 'last-event-id' && e.message.includes('Last-Event-ID'))).toBe(true), { timeout: 5000 })
    await vi.waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(6), { timeout: 5000 })
    expect(client.state.readyState).not.toBe(2)
    client.close()

    const resumed: number[] = []
    const exact = createEventSource<{ n: number }>(`${express}/cors/events`, { parse: 'json', reconnect: { delay: 20, jitter: 0 }, lastEventIdParam: 'lastEventId' })
    exact.on('message', m => resumed.push(m.data.n))
    exact.open()
    await vi.waitFor(() => expect(resumed.length).toBeGreaterThanOrEqual(8), { timeout: 5000 })
    exact.close()
    expect(resumed.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })
})

describe('through nginx, in Chromium', () => {
  const nginx = inject('nginxUrl')

  it('gzip on for text/event-stream with proxy_buffering: nginx holds the headers, and connect-timeout names buffering', async () => {
    const { errors, onError } = recorder()
    const client = createEventSource(`${nginx}/gzip/forever?key=${uniqueKey()}&interval=100`, { connectTimeout: 1000, reconnect: false, onError })
    client.open()
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 })
    expect(errors[0]!.type).toBe('connect-timeout')
    expect(errors[0]!.message).toContain('buffering')
    expect(client.state.readyState).toBe(2)
  })

  it('with proxy_buffering off and no gzip (the fix), events flow', async () => {
    const ids: string[] = []
    const client = createEventSource(`${nginx}/fixed/forever?key=${uniqueKey()}&interval=50`, { connectTimeout: 1000 })
    client.on('message', m => ids.push(m.lastEventId))
    client.open()
    await vi.waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(5), { timeout: 5000 })
    client.close()
  })
})

// Issue 28, parts 4 and 5: a refused connection looks like a CORS refusal to a script, so a short restart
// of a cross-origin server dropped Last-Event-ID for good and events were lost; and CORS errors did not
// say what to fix. docs/deploying.md ("CORS"), docs/guide/errors.md (`cors`, `network`, `last-event-id`).
describe('a cross-origin server that restarts, in Chromium', () => {
  const restartable = inject('restartableUrl')
  const control = inject('restartControlUrl')

  async function sentHeaders(key: string): Promise<string[]> {
    return await (await fetch(`${restartable}/_stats?key=${key}`)).json() as string[]
  }

  it.each([300, 1200, 2000, 4000])('down for %i ms (its CORS allows Last-Event-ID as the deploying guide says): it resumes with the header, no event lost or repeated', { timeout: 20_000 }, async (down) => {
    const key = uniqueKey()
    const { errors, onError } = recorder()
    const ids: number[] = []
    const client = createEventSource(`${restartable}/events?key=${key}`, { reconnect: { delay: 100, maxDelay: 800, jitter: 0 }, onError })
    client.on('message', m => ids.push(Number(m.data)))
    client.open()
    await vi.waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(5), { timeout: 5000 })
    await fetch(`${control}/restart?down=${down}`, { method: 'POST' })
    const before = ids.length
    await vi.waitFor(() => expect(ids.length).toBeGreaterThan(before + 10), { timeout: down + 8000 })
    client.close()
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1))
    // Every request after the first carried the header; the failures while it was down were "network".
    const sent = await sentHeaders(key)
    expect(sent[0]).toBe('')
    expect(sent.slice(1).every(id => Number(id) >= 5)).toBe(true)
    // While it was down: network errors. A request refused just before the server came back and probed just
    // after it (a window of a few ms) reads as one CORS refusal, which is only doubted: the header stays.
    const types = errors.map(e => e.type)
    expect(types.filter(type => type === 'network').length).toBeGreaterThan(0)
    expect(types.filter(type => type !== 'network')).toEqual(types.includes('cors') ? ['cors'] : [])
    expect(errors.some(e => e.type === 'network' && e.message.includes('down or unreachable'))).toBe(true)
  })

  it('a server that is down is a network error, not CORS', async () => {
    const { errors, onError } = recorder()
    const client = createEventSource(`${inject('refusedUrl')}/events`, { reconnect: { delay: 50, jitter: 0 }, onError })
    client.open()
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
    client.close()
    expect(errors.map(e => e.type)).toEqual(errors.map(() => 'network'))
    expect(errors[0]!.message).toContain('not CORS')
  })

  it('withCredentials against Access-Control-Allow-Origin: * (seed 003\'s server): the error names the exact origin and Allow-Credentials', async () => {
    const key = uniqueKey()
    const { errors, onError } = recorder()
    const client = createEventSource(server.route('forever', { key, allowOrigin: '*' }), { withCredentials: true, token: 'good-token', reconnect: { delay: 50, jitter: 0 }, onError })
    client.open()
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
    client.close()
    expect(errors.map(e => e.type)).toEqual(errors.map(() => 'cors'))
    expect(errors[0]!.message).toContain(`Access-Control-Allow-Origin: ${location.origin} (exactly: not *`)
    expect(errors[0]!.message).toContain('Access-Control-Allow-Credentials: true')
    expect(errors[0]!.message).toContain('Access-Control-Allow-Headers: authorization')
    expect(errors[0]!.message).not.toContain('good-token')
    // Without credentials the wildcard is fine: the same server streams.
    const plain = createEventSource(server.route('forever', { key, allowOrigin: '*', interval: 20 }))
    plain.open()
    await vi.waitFor(() => expect(plain.state.readyState).toBe(1), { timeout: 5000 })
    plain.close()
  })
})
