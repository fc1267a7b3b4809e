// Tests here hold promises of docs/guide/resumable-runs.md and docs/deploying.md (listed in tests/fixtures/promises/).
/**
 * A stream through Vite's dev server proxy (`server.proxy` in vite.config, http-proxy-3 underneath) when the
 * upstream server's socket is destroyed mid-stream. The proxy pipes the upstream response into the page's
 * and, once the headers are sent, does nothing when the upstream breaks: the page's connection stays open
 * with no more bytes, so the client reads OPEN and does not reconnect (3 s watched here, more than 15 s in a
 * browser). Only `heartbeatTimeout` notices it.
 * Without a proxy the same break is seen at once (tests/runs.test.ts, the first test).
 * A real Vite dev server in front of the Last-Event-ID run server (tests/fixtures/servers/runs/lastEventId.ts).
 */
import type { AddressInfo } from 'node:net'
import type { EffectScope } from 'vue'
import type { EventSourceError, UseEventSourceOptions } from '../src/index'
import type { RunRequest } from './fixtures/servers/runs/http'
import type { LastEventIdRunServer } from './fixtures/servers/runs/lastEventId'
import { createServer } from 'vite'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useEventSource } from '../src/index'
import { startLastEventIdRunServer } from './fixtures/servers/runs/lastEventId'
import { print } from './support/print'

/** How long a test watches a stream after the break before judging it stuck. */
const WINDOW_MS = 3000

interface DevProxy {
  url: string
  close: () => Promise<void>
}

/** A real Vite dev server on a free 127.0.0.1 port whose `server.proxy` sends /api to `upstream`. */
async function startDevProxy(upstream: string): Promise<DevProxy> {
  const server = await createServer({
    configFile: false,
    root: import.meta.dirname,
    appType: 'custom',
    logLevel: 'silent',
    clearScreen: false,
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: '127.0.0.1', port: 0, strictPort: true, watch: null, hmr: false, proxy: { '/api': upstream } },
  })
  await server.listen()
  const { port } = server.httpServer!.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() }
}

const upstreams: LastEventIdRunServer[] = []
const proxies: DevProxy[] = []
const scopes: EffectScope[] = []

/** The run server, and a Vite dev server in front of it. */
async function start(events: number, intervalMs: number): Promise<{ upstream: LastEventIdRunServer, proxy: DevProxy }> {
  const upstream = await startLastEventIdRunServer({ events, intervalMs })
  upstreams.push(upstream)
  const proxy = await startDevProxy(upstream.url)
  proxies.push(proxy)
  return { upstream, proxy }
}

afterEach(() => {
  for (const scope of scopes.splice(0))
    scope.stop()
})
afterAll(async () => {
  for (const scope of scopes.splice(0))
    scope.stop()
  await Promise.all(proxies.map(proxy => proxy.close()))
  await Promise.all(upstreams.map(upstream => upstream.close()))
})

const posts = (requests: RunRequest[]): RunRequest[] => requests.filter(request => request.method === 'POST')
const gets = (requests: RunRequest[]): RunRequest[] => requests.filter(request => request.method === 'GET')
const numbers = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/**
 * A stream read with useEventSource, that destroys every upstream socket (`upstream.cut`) after its
 * `cutAfter`-th event and records when, and when each event and error came.
 */
function read(url: string, options: UseEventSourceOptions<{ i: number }>, upstream: LastEventIdRunServer, cutAfter: number) {
  const data: number[] = []
  const errors: { error: EventSourceError, at: number, seen: number, lastEventId: string }[] = []
  const times = { cutAt: 0, lastEventAt: 0 }
  const scope = effectScope()
  scopes.push(scope)
  const stream = scope.run(() => useEventSource<{ i: number }>(url, {
    reconnect: { delay: 50, jitter: 0 },
    ...options,
    parse: 'json',
    onError: error => errors.push({ error, at: Date.now(), seen: data.length, lastEventId: stream.lastEventId.value }),
  }))!
  stream.on('message', ({ data: value }) => {
    data.push(value.i)
    times.lastEventAt = Date.now()
    if (data.length === cutAfter) {
      times.cutAt = Date.now()
      upstream.cut()
    }
  })
  return { stream, data, errors, times }
}

describe('a POST run with resume through the Vite dev server proxy, its upstream socket destroyed mid-run', () => {
  it('without heartbeatTimeout the proxy keeps the page connection open: OPEN for 3 s after the break, no event, no GET at the upstream', async () => {
    const { upstream, proxy } = await start(400, 20)
    const { stream, data, errors, times } = read(`${proxy.url}/api/runs`, { method: 'POST', body: { prompt: 'hi' }, closeData: '[DONE]', resume: { url: response => response.headers.get('location') } }, upstream, 5)
    await vi.waitFor(() => expect(times.cutAt).toBeGreaterThan(0), { timeout: 10_000 })
    await sleep(WINDOW_MS)
    const quiet = Date.now() - times.lastEventAt
    print(`dev proxy, POST run, no heartbeat: ${Date.now() - times.cutAt} ms after the break ${stream.status.value}, ${data.length} events, quiet ${quiet} ms, upstream ${posts(upstream.requests).length} POST ${gets(upstream.requests).length} GET`)
    // the run goes on at the upstream (400 events, one each 20 ms) while the page hears nothing of it
    expect(stream.status.value).toBe('OPEN')
    expect(stream.error.value).toBeNull()
    expect(errors).toEqual([])
    expect(data).toEqual(numbers(1, data.length))
    expect(data.length).toBeLessThan(50)
    expect(quiet).toBeGreaterThanOrEqual(WINDOW_MS - 500)
    expect(posts(upstream.requests)).toHaveLength(1)
    expect(gets(upstream.requests)).toEqual([])
  }, 30_000)

  it('with heartbeatTimeout: 1000 the client notices, resumes by GET through the proxy with the last event id it saw: every event once, in order, one POST', async () => {
    const { upstream, proxy } = await start(150, 20)
    const { stream, data, errors, times } = read(`${proxy.url}/api/runs`, { method: 'POST', body: { prompt: 'hi' }, heartbeatTimeout: 1000, closeData: '[DONE]', resume: { url: response => response.headers.get('location') } }, upstream, 5)
    await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 20_000 })
    expect(data).toEqual(numbers(1, 150))
    expect(stream.error.value).toBeNull()
    expect(errors.map(({ error }) => error.type)).toEqual(['heartbeat-timeout'])
    const [{ at, seen, lastEventId }] = errors as [typeof errors[number]]
    const [post] = posts(upstream.requests)
    const resumes = gets(upstream.requests)
    print(`dev proxy, POST run, heartbeatTimeout 1000: heartbeat-timeout ${at - times.cutAt} ms after the break, after ${seen} events; upstream ${posts(upstream.requests).length} POST, GETs ${JSON.stringify(resumes.map(r => [r.status, r.lastEventId]))}`)
    expect(at - times.cutAt).toBeGreaterThanOrEqual(900)
    expect(at - times.cutAt).toBeLessThan(5000)
    expect(posts(upstream.requests)).toHaveLength(1)
    const runId = /^\/api\/runs\/([^/]+)\/events$/.exec(resumes[0]?.path ?? '')?.[1]
    expect(runId).toBeDefined()
    expect(post!.status).toBe(200)
    expect(resumes).toEqual([{ method: 'GET', path: `/api/runs/${runId}/events`, lastEventId: `${runId}-${seen}`, status: 200 }])
    expect(lastEventId).toBe(`${runId}-${seen}`)
    // the resume URL is the relative Location resolved against the page's request: the GET went through the proxy
    expect(stream.resumeUrl.value).toBe(`${proxy.url}/api/runs/${runId}/events`)
  }, 30_000)
})

describe('a plain GET stream through the Vite dev server proxy, its upstream socket destroyed mid-stream', () => {
  /**
   * Starts a run at the upstream directly, reads it up to its first event (so that `<runId>-1` is an id the
   * run has sent) and returns its events URL; the run goes on with no one listening.
   */
  async function startRun(upstream: LastEventIdRunServer): Promise<string> {
    const controller = new AbortController()
    const response = await fetch(`${upstream.url}/api/runs`, { method: 'POST', body: '{}', signal: controller.signal })
    const location = response.headers.get('location')!
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while (!text.includes('\n\n'))
      text += (await reader.read()).value ?? ''
    controller.abort()
    return location
  }

  it('without heartbeatTimeout: OPEN for 3 s after the break, no event, no second GET at the upstream', async () => {
    const { upstream, proxy } = await start(400, 20)
    const path = await startRun(upstream)
    const runId = path.split('/')[3]!
    const { stream, data, errors, times } = read(`${proxy.url}${path}`, { lastEventId: `${runId}-1` }, upstream, 5)
    await vi.waitFor(() => expect(times.cutAt).toBeGreaterThan(0), { timeout: 10_000 })
    await sleep(WINDOW_MS)
    const quiet = Date.now() - times.lastEventAt
    print(`dev proxy, GET stream, no heartbeat: ${Date.now() - times.cutAt} ms after the break ${stream.status.value}, ${data.length} events, quiet ${quiet} ms, upstream GETs ${gets(upstream.requests).length}`)
    expect(stream.status.value).toBe('OPEN')
    expect(errors).toEqual([])
    expect(data).toEqual(numbers(2, data.length + 1))
    expect(quiet).toBeGreaterThanOrEqual(WINDOW_MS - 500)
    expect(gets(upstream.requests)).toEqual([{ method: 'GET', path, lastEventId: `${runId}-1`, status: 200 }])
  }, 30_000)

  it('with heartbeatTimeout: 1000 it reconnects through the proxy with Last-Event-ID: every event once, in order', async () => {
    const { upstream, proxy } = await start(150, 20)
    const path = await startRun(upstream)
    const runId = path.split('/')[3]!
    const { stream, data, errors, times } = read(`${proxy.url}${path}`, { lastEventId: `${runId}-1`, heartbeatTimeout: 1000, closeData: '[DONE]' }, upstream, 5)
    await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 20_000 })
    expect(data).toEqual(numbers(2, 150))
    expect(errors.map(({ error }) => error.type)).toEqual(['heartbeat-timeout'])
    const [{ at, seen, lastEventId }] = errors as [typeof errors[number]]
    print(`dev proxy, GET stream, heartbeatTimeout 1000: heartbeat-timeout ${at - times.cutAt} ms after the break, after ${seen} events; upstream GETs ${JSON.stringify(gets(upstream.requests).map(r => [r.status, r.lastEventId]))}`)
    expect(at - times.cutAt).toBeGreaterThanOrEqual(900)
    expect(at - times.cutAt).toBeLessThan(5000)
    // seen counts events 2.., so the last one seen is event seen + 1
    expect(lastEventId).toBe(`${runId}-${seen + 1}`)
    expect(gets(upstream.requests)).toEqual([
      { method: 'GET', path, lastEventId: `${runId}-1`, status: 200 },
      { method: 'GET', path, lastEventId: `${runId}-${seen + 1}`, status: 200 },
    ])
    expect(posts(upstream.requests)).toHaveLength(1)
  }, 30_000)
})
