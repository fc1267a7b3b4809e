import type { AiSdkServer } from './fixtures/servers/runs/aiSdk'
import type { LastEventIdRunServer } from './fixtures/servers/runs/lastEventId'
import type { ResumableCluster } from './fixtures/servers/runs/resumable'
import type { TanStackRunServer } from './fixtures/servers/runs/tanstack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAiSdkServer } from './fixtures/servers/runs/aiSdk'
import { startLastEventIdRunServer } from './fixtures/servers/runs/lastEventId'
import { startResumableCluster } from './fixtures/servers/runs/resumable'
import { startTanStackRunServer } from './fixtures/servers/runs/tanstack'
import { startRedis } from './support/redis'

// The run servers of tests/fixtures/servers/runs/, each checked with plain fetch, not with the library: a POST
// starts a run, the connection drops (`cut()`), a GET on the resume URL carries on to the end. What each one
// answers is what the library's resumable-run tests rely on.

let redis: Awaited<ReturnType<typeof startRedis>>
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.close()
})

interface Frame {
  id?: string
  data: string
}

interface FrameReader {
  /** Every frame read so far. */
  frames: Frame[]
  /** Whether the body ended. */
  ended: boolean
  /** Reads on until `enough` says so or the body ends. */
  read: (enough?: (frames: Frame[]) => boolean) => Promise<FrameReader>
  /** Stops reading, as a client that goes away. */
  stop: () => void
}

/** Reads the SSE frames of `response`'s body (`id:` and `data:` lines only, which is all these servers send). */
function frameReader(response: Response): FrameReader {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  const self: FrameReader = {
    frames: [],
    ended: false,
    async read(enough = () => false) {
      while (!self.ended && !enough(self.frames)) {
        const { done, value } = await reader.read()
        self.ended = done
        buffer += value ?? ''
        let end = buffer.indexOf('\n\n')
        while (end !== -1) {
          const frame: Frame = { data: '' }
          for (const line of buffer.slice(0, end).split('\n')) {
            if (line.startsWith('id: '))
              frame.id = line.slice(4)
            else if (line.startsWith('data: '))
              frame.data = line.slice(6)
          }
          self.frames.push(frame)
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
        }
      }
      return self
    },
    stop: () => void reader.cancel().catch(() => {}),
  }
  return self
}

const json = { 'content-type': 'application/json' }

describe('resumable-stream, two instances behind a round-robin proxy', () => {
  let cluster: ResumableCluster
  beforeAll(async () => {
    cluster = await startResumableCluster({ redisUrl: redis.url })
  })
  afterAll(async () => {
    await cluster?.close()
  })

  it('a POST cut after three events resumes on the other instance, replayed from the first event to [DONE]', async () => {
    const post = await fetch(`${cluster.url}/api/runs`, { method: 'POST', headers: json, body: '{"prompt":"hi"}' })
    expect(post.status).toBe(200)
    expect(post.headers.get('content-type')).toBe('text/event-stream')
    const location = post.headers.get('location')!
    expect(location).toMatch(/^\/api\/runs\/[\w-]+\/stream$/)
    const seen = await frameReader(post).read(frames => frames.length >= 3)
    expect(seen.frames.slice(0, 3)).toEqual([1, 2, 3].map(i => ({ data: `{"i":${i},"token":"t${i}"}` })))
    cluster.cut()
    seen.stop()

    const resumed = await frameReader(await fetch(`${cluster.url}${location}`)).read()
    expect(resumed.ended).toBe(true)
    expect(resumed.frames.map(frame => frame.data)).toEqual([
      ...Array.from({ length: 40 }, (_, i) => `{"i":${i + 1},"token":"t${i + 1}"}`),
      '[DONE]',
    ])
    const [created, resume] = cluster.requests.slice(-2)
    expect(created).toMatchObject({ method: 'POST', path: '/api/runs', lastEventId: null, status: 200 })
    expect(resume).toMatchObject({ method: 'GET', path: location, lastEventId: null, status: 200 })
    expect(resume!.instance).toBe(1 - created!.instance)

    // Finished: resumable-stream answers null, and the server 204.
    expect((await fetch(`${cluster.url}${location}`)).status).toBe(204)
    expect(cluster.requests.at(-1)).toMatchObject({ path: location, status: 204 })
  })

  it('answers 204 for a run id it never saw, as for a finished one', async () => {
    const response = await fetch(`${cluster.url}/api/runs/no-such-run/stream`)
    expect(response.status).toBe(204)
    expect(cluster.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/runs/no-such-run/stream', status: 204 })
  })

  it('answers a preflight from another origin itself, and lets that origin read the Location', async () => {
    const origin = 'http://127.0.0.1:1'
    const before = cluster.requests.length
    const preflight = await fetch(`${cluster.url}/api/runs`, { method: 'OPTIONS', headers: { 'origin': origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, last-event-id' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin)
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type, last-event-id')
    expect(cluster.requests).toHaveLength(before)

    const post = await fetch(`${cluster.url}/api/runs`, { method: 'POST', headers: { ...json, origin }, body: '{}' })
    expect(post.headers.get('access-control-allow-origin')).toBe(origin)
    expect(post.headers.get('access-control-expose-headers')).toBe('location')
    await post.body!.cancel()
  })

  it('with the producing instance killed, a resume on the other one answers 500 after about a second', async () => {
    const own = await startResumableCluster({ redisUrl: redis.url, events: 100, ids: true })
    try {
      const post = await fetch(`${own.url}/api/runs`, { method: 'POST', headers: json, body: '{}' })
      const seen = await frameReader(post).read(frames => frames.length >= 2)
      expect(seen.frames[0]).toEqual({ id: '1', data: '{"i":1,"token":"t1"}' })
      seen.stop()
      await own.killInstance(own.requests[0]!.instance)

      const started = Date.now()
      const resume = await fetch(`${own.url}${post.headers.get('location')}`)
      expect(resume.status).toBe(500)
      expect(await resume.text()).toContain('Timeout waiting for ack')
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
      // The proxy sends everything to the instance left, the one that did not produce the run.
      expect(own.requests.map(request => request.instance)).toEqual([own.requests[0]!.instance, 1 - own.requests[0]!.instance])
    }
    finally {
      await own.close()
    }
  })
})

describe('the resume recipe of the AI SDK (streamText, consumeSseStream, resumable-stream)', () => {
  let server: AiSdkServer
  beforeAll(async () => {
    server = await startAiSdkServer({ redisUrl: redis.url })
  })
  afterAll(async () => {
    await server?.close()
  })

  it('a cut chat answer resumes by chat id, replayed from its start chunk to [DONE]; the events carry no id', async () => {
    const body = JSON.stringify({ id: 'chat-1', messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Hello' }] }], trigger: 'submit-message', messageId: undefined })
    const post = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: json, body })
    expect(post.status).toBe(200)
    expect(post.headers.get('content-type')).toBe('text/event-stream')
    expect(post.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1')
    expect(post.headers.get('location')).toBeNull()
    const seen = await frameReader(post).read(frames => frames.length >= 5)
    const start = JSON.parse(seen.frames[0]!.data) as { type: string, messageId: string }
    expect(start.type).toBe('start')
    expect(seen.frames.slice(1, 5).map(frame => JSON.parse(frame.data))).toEqual([
      { type: 'start-step' },
      { type: 'text-start', id: 'text-1' },
      { type: 'text-delta', id: 'text-1', delta: 'w1 ' },
      { type: 'text-delta', id: 'text-1', delta: 'w2 ' },
    ])
    expect(seen.frames.every(frame => frame.id === undefined)).toBe(true)
    server.cut()
    seen.stop()

    const resume = await fetch(`${server.url}/api/chat/chat-1/stream`)
    expect(resume.status).toBe(200)
    expect(resume.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1')
    const resumed = await frameReader(resume).read()
    expect(resumed.ended).toBe(true)
    expect(JSON.parse(resumed.frames[0]!.data)).toEqual(start)
    const deltas = resumed.frames.slice(0, -1).map(frame => JSON.parse(frame.data) as { type: string, delta?: string }).filter(chunk => chunk.type === 'text-delta')
    expect(deltas.map(chunk => chunk.delta)).toEqual(Array.from({ length: 200 }, (_, i) => `w${i + 1} `))
    expect(resumed.frames.at(-2)!.data).toBe('{"type":"finish","finishReason":"stop"}')
    expect(resumed.frames.at(-1)!.data).toBe('[DONE]')
    expect(resumed.frames.every(frame => frame.id === undefined)).toBe(true)
    expect(server.requests.map(({ method, path, status }) => `${method} ${path} ${status}`)).toEqual(['POST /api/chat 200', 'GET /api/chat/chat-1/stream 200'])

    // onEnd cleared the chat's active stream.
    expect((await fetch(`${server.url}/api/chat/chat-1/stream`)).status).toBe(204)
  })

  it('answers 204 for a chat with no active stream', async () => {
    expect((await fetch(`${server.url}/api/chat/no-such-chat/stream`)).status).toBe(204)
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/chat/no-such-chat/stream', status: 204 })
  })
})

describe('a Last-Event-ID run server of our own', () => {
  let server: LastEventIdRunServer
  beforeAll(async () => {
    server = await startLastEventIdRunServer({ keep: 5 })
  })
  afterAll(async () => {
    await server?.close()
  })

  it('a cut run resumes after the Last-Event-ID it sends, with the events after it then [DONE]', async () => {
    const post = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: json, body: '{}' })
    expect(post.status).toBe(200)
    const location = post.headers.get('location')!
    const runId = /^\/api\/runs\/([\w-]+)\/events$/.exec(location)![1]
    const seen = await frameReader(post).read(frames => frames.length >= 3)
    expect(seen.frames.slice(0, 3)).toEqual([1, 2, 3].map(i => ({ id: `${runId}-${i}`, data: `{"i":${i},"token":"t${i}"}` })))
    server.cut()
    seen.stop()

    const resume = await fetch(`${server.url}${location}`, { headers: { 'last-event-id': `${runId}-3` } })
    expect(resume.status).toBe(200)
    const resumed = await frameReader(resume).read()
    expect(resumed.ended).toBe(true)
    expect(resumed.frames).toEqual([
      ...Array.from({ length: 27 }, (_, i) => ({ id: `${runId}-${i + 4}`, data: `{"i":${i + 4},"token":"t${i + 4}"}` })),
      { data: '[DONE]' },
    ])
    expect(server.requests.slice(-2)).toEqual([
      { method: 'POST', path: '/api/runs', lastEventId: null, status: 200 },
      { method: 'GET', path: location, lastEventId: `${runId}-3`, status: 200 },
    ])
  })

  it('refuses a resume: 400 without Last-Event-ID or with a foreign one, 404 for an unknown run, 410 past what it keeps', async () => {
    const post = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: json, body: '{}' })
    const location = post.headers.get('location')!
    const runId = /^\/api\/runs\/([\w-]+)\/events$/.exec(location)![1]
    const seen = await frameReader(post).read(frames => frames.length >= 10)
    seen.stop()

    expect((await fetch(`${server.url}${location}`)).status).toBe(400)
    expect((await fetch(`${server.url}${location}`, { headers: { 'last-event-id': 'other-run-1' } })).status).toBe(400)
    expect((await fetch(`${server.url}/api/runs/no-such-run/events`, { headers: { 'last-event-id': `${runId}-1` } })).status).toBe(404)
    // Ten events are out and it keeps five: the client that saw only the first cannot be caught up.
    expect((await fetch(`${server.url}${location}`, { headers: { 'last-event-id': `${runId}-1` } })).status).toBe(410)
    expect(server.requests.slice(-4).map(request => request.status)).toEqual([400, 400, 404, 410])
  })

  it('a finished run resumed after its last event sends [DONE] alone', async () => {
    const post = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: json, body: '{}' })
    const location = post.headers.get('location')!
    const runId = /^\/api\/runs\/([\w-]+)\/events$/.exec(location)![1]!
    const run = await frameReader(post).read(frames => frames.length >= 2)
    server.finish(runId)
    const { frames, ended } = await run.read()
    expect(ended).toBe(true)
    expect(frames.at(-1)).toEqual({ data: '[DONE]' })
    expect(frames.length).toBeLessThan(30)

    const resume = await fetch(`${server.url}${location}`, { headers: { 'last-event-id': frames.at(-2)!.id! } })
    expect(resume.status).toBe(200)
    expect(await resume.text()).toBe('data: [DONE]\n\n')
  })
})

describe('the resumeServerSentEventsResponse of TanStack AI, over its memoryStream log', () => {
  let server: TanStackRunServer
  beforeAll(async () => {
    server = await startTanStackRunServer()
  })
  afterAll(async () => {
    await server?.close()
  })

  it('a cut run resumes after the Last-Event-ID it sends, to RUN_FINISHED, with no [DONE]', async () => {
    const post = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: json, body: '{}' })
    expect(post.status).toBe(200)
    expect(post.headers.get('content-type')).toBe('text/event-stream')
    const location = post.headers.get('location')!
    const runId = /^\/api\/runs\/([\w-]+)\/events$/.exec(location)![1]
    const seen = await frameReader(post).read(frames => frames.length >= 5)
    expect(seen.frames.map(frame => frame.id)).toEqual([1, 2, 3, 4, 5].map(seq => `memory:v1:${runId}:${seq}`))
    expect(seen.frames.map(frame => (JSON.parse(frame.data) as { type: string }).type)).toEqual(['CUSTOM', 'RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_CONTENT'])
    server.cut()
    seen.stop()

    const lastEventId = `memory:v1:${runId}:5`
    const resume = await fetch(`${server.url}${location}`, { headers: { 'last-event-id': lastEventId } })
    expect(resume.status).toBe(200)
    const resumed = await frameReader(resume).read()
    expect(resumed.ended).toBe(true)
    expect(resumed.frames[0]!.id).toBe(`memory:v1:${runId}:6`)
    const chunks = resumed.frames.map(frame => JSON.parse(frame.data) as { type: string, delta?: string })
    expect(chunks.filter(chunk => chunk.type === 'TEXT_MESSAGE_CONTENT').map(chunk => chunk.delta)).toEqual(Array.from({ length: 28 }, (_, i) => `t${i + 3} `))
    expect(chunks.at(-1)!.type).toBe('RUN_FINISHED')
    expect(server.requests.slice(-2)).toEqual([
      { method: 'POST', path: '/api/runs', lastEventId: null, status: 200 },
      { method: 'GET', path: location, lastEventId, status: 200 },
    ])
  })

  it('answers 400 without Last-Event-ID, and an unknown run with a 200 whose one event is RUN_ERROR', async () => {
    const missing = await fetch(`${server.url}/api/runs/some-run/events`)
    expect(missing.status).toBe(400)
    expect(await missing.text()).toContain('No resume offset provided')

    const unknown = await fetch(`${server.url}/api/runs/no-such-run/events`, { headers: { 'last-event-id': 'memory:v1:no-such-run:3' } })
    expect(unknown.status).toBe(200)
    const { frames, ended } = await frameReader(unknown).read()
    expect(ended).toBe(true)
    expect(frames).toHaveLength(1)
    expect(frames[0]!.id).toBeUndefined()
    expect(JSON.parse(frames[0]!.data)).toMatchObject({ type: 'RUN_ERROR', message: 'Unknown or expired memory stream run: "no-such-run"' })
    expect(server.requests.slice(-2).map(request => request.status)).toEqual([400, 200])
  })
})
