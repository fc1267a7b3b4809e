// Tests here hold promises of docs/guide/resumable-runs.md (listed in tests/fixtures/promises/).
/**
 * The guide's h3/Nitro server for "Replay from the start, with a resume URL", run as written: its context
 * and its two route handlers, copied from the guide (types aside), in an h3 app on node:http, over
 * resumable-stream and a real Redis. Our client reads a run whose POST socket is destroyed mid-way, and
 * one resumed only after the run finished; the node server counts every request it is sent.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { EffectScope } from 'vue'
import type { EventSourceError } from '../src/index'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { createApp, createRouter, defineEventHandler, getRouterParam, readBody, sendNoContent, setResponseHeader, setResponseHeaders, toNodeListener } from 'h3'
import { createResumableStreamContext } from 'resumable-stream'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useEventSource } from '../src/index'
import { startRedis } from './support/redis'

/** What the run produces: `events` events `data: {"i":n,"token":"t<n>"}`, `intervalMs` apart, then `data: [DONE]`. */
const run = { events: 40, intervalMs: 15 }
/** The app's producer (the guide's `startRun`): the run's SSE text, on a timer, whoever listens. */
function startRun(_prompt: string): ReadableStream<string> {
  const { events, intervalMs } = run
  return new ReadableStream<string>({
    start(controller) {
      let n = 0
      const timer = setInterval(() => {
        n += 1
        controller.enqueue(`data: {"i":${n},"token":"t${n}"}\n\n`)
        if (n < events)
          return
        controller.enqueue('data: [DONE]\n\n')
        controller.close()
        clearInterval(timer)
      }, intervalMs)
    },
  })
}

interface Seen { method: string, path: string, lastEventId: string | null, status: number }
let redis: Awaited<ReturnType<typeof startRedis>>
let server: Server
let origin: string
const requests: Seen[] = []
const sockets = new Set<Socket>()
/** The Redis clients resumable-stream opened to REDIS_URL, kept to be closed. */
const redisClients: { close: () => Promise<unknown> }[] = []
const scopes: EffectScope[] = []

beforeAll(async () => {
  redis = await startRedis()
  vi.stubEnv('REDIS_URL', redis.url)
  // resumable-stream makes its two clients with the redis package's createClient: keep them as they are made
  const redisPackage = createRequire(import.meta.url)('redis') as { createClient: (...args: unknown[]) => { close: () => Promise<unknown> } }
  const createClient = vi.spyOn(redisPackage, 'createClient')

  // server/utils/runs.js
  const runs = createResumableStreamContext({ waitUntil: null }) // null: a long-lived server

  redisClients.push(...createClient.mock.results.map(result => result.value as { close: () => Promise<unknown> }))
  createClient.mockRestore()
  if (redisClients.length !== 2)
    throw new Error(`resumable-stream made ${redisClients.length} Redis clients, not its publisher and subscriber`)
  vi.unstubAllEnvs()

  const router = createRouter()
  // server/api/runs.post.js
  router.post('/api/runs', defineEventHandler(async (event) => {
    const { prompt } = await readBody<{ prompt: string }>(event)
    const id = crypto.randomUUID()
    // startRun: your producer, a ReadableStream of SSE text (data: lines, then data: [DONE]); it runs to
    // its end whoever listens
    const stream = await runs.createNewResumableStream(id, () => startRun(prompt))
    setResponseHeaders(event, { 'Content-Type': 'text/event-stream', 'Location': `/api/runs/${id}/stream` })
    return stream!.pipeThrough(new TextEncoderStream()) // its chunks are strings: send them as bytes
  }))
  // server/api/runs/[id]/stream.get.js
  router.get('/api/runs/:id/stream', defineEventHandler(async (event) => {
    const stream = await runs.resumeExistingStream(getRouterParam(event, 'id')!)
    if (!stream)
      return sendNoContent(event) // 204: the run has finished (null), or was never started (undefined)
    setResponseHeader(event, 'Content-Type', 'text/event-stream')
    return stream.pipeThrough(new TextEncoderStream()) // the run from its first event, then live
  }))
  const app = createApp()
  app.use(router)

  server = createServer(toNodeListener(app))
  // Every request the server is sent, with the status it answered once its response is over (or cut).
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers['last-event-id']
    const seen: Seen = { method: req.method ?? 'GET', path: req.url ?? '/', lastEventId: typeof header === 'string' ? header : null, status: 0 }
    requests.push(seen)
    res.once('close', () => {
      seen.status = res.statusCode
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  for (const scope of scopes.splice(0))
    scope.stop()
  if (server) {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
  await Promise.all(redisClients.map(client => client.close()))
  await redis?.close()
})

/** Drops every connection the server holds, as a network would. */
function cut(): void {
  for (const socket of sockets)
    socket.destroy()
}

/**
 * A POST run read by our client, resumed from the start at its Location, `reconnectDelay` ms after a break;
 * `cutAfter` events in, the connection drops.
 */
function readRun(cutAfter: number, reconnectDelay = 50) {
  const data: number[] = []
  const errors: EventSourceError[] = []
  const scope = effectScope()
  scopes.push(scope)
  const stream = scope.run(() => useEventSource<{ i: number }>(`${origin}/api/runs`, {
    method: 'POST',
    body: { prompt: 'hi' },
    parse: 'json',
    closeData: '[DONE]',
    reconnect: { delay: reconnectDelay, jitter: 0 },
    resume: { url: response => response.headers.get('Location'), from: 'start' },
    onError: error => errors.push(error),
  }))!
  stream.on('message', ({ data: { i } }) => {
    data.push(i)
    if (data.length === cutAfter)
      cut()
  })
  return { stream, data, errors }
}

describe('the h3/Nitro routes of the guide (resumable-stream, a real Redis)', () => {
  it('the socket of the POST destroyed mid-run: the resume GET replays the run from its start, every event once, in order, one POST', async () => {
    Object.assign(run, { events: 40, intervalMs: 15 })
    const before = requests.length
    const { stream, data, errors } = readRun(10)
    await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 15_000 })
    expect(data).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(stream.status.value).toBe('CLOSED')
    expect(stream.error.value).toBeNull()
    expect(errors.map(error => error.type)).toEqual(['network'])

    const seen = requests.slice(before)
    const [post, ...resumes] = seen
    expect(seen.filter(request => request.method === 'POST')).toHaveLength(1)
    expect(post).toMatchObject({ method: 'POST', path: '/api/runs', status: 200 })
    expect(resumes.length).toBeGreaterThanOrEqual(1)
    for (const resume of resumes)
      expect(resume).toMatchObject({ method: 'GET', path: stream.resumeUrl.value!.slice(origin.length), lastEventId: null, status: 200 })
    expect(stream.resumeUrl.value).toMatch(new RegExp(`^${origin}/api/runs/[\\w-]+/stream$`))
  })

  it('a resume after the run finished answers 204: CLOSED, incomplete (the end was not seen), one POST, no request after', async () => {
    Object.assign(run, { events: 20, intervalMs: 10 })
    const before = requests.length
    // the connection drops 3 events in; the resume waits until the run has finished on the server
    const { stream, data } = readRun(3, 1500)
    await vi.waitFor(() => expect(stream.status.value).toBe('CLOSED'), { timeout: 10_000 })
    expect(stream.error.value?.type).toBe('incomplete')
    expect(stream.done.value).toBe(false)
    // the events before the break, once each, in order
    expect(data).toEqual(Array.from({ length: data.length }, (_, i) => i + 1))
    expect(data.length).toBeGreaterThanOrEqual(3)
    const count = requests.length
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(requests).toHaveLength(count)
    expect(requests.slice(before).map(request => [request.method, request.status])).toEqual([['POST', 200], ['GET', 204]])
  })
})
