// Tests here hold promises of docs/guide/resumable-runs.md, docs/deploying.md and docs/migrating.md (listed
// in tests/fixtures/promises/).
/**
 * Resumable runs against servers we did not write the protocol of, over real sockets: resumable-stream
 * with a real Redis behind a round-robin proxy (two instances), the AI SDK's own resume recipe, TanStack
 * AI's resumeServerSentEventsResponse, and a Last-Event-ID server of ours. Each test cuts the run's
 * connection mid-way and counts the POSTs the server saw. The same on virtual time: tests/core/resume.test.ts.
 */
import type { UIMessage } from 'ai'
import type { EffectScope } from 'vue'
import type { EventSourceError, UseEventSourceOptions } from '../src/index'
import type { RunRequest } from './fixtures/servers/runs/http'
import { useChat } from '@ai-sdk/vue'
import { DefaultChatTransport } from 'ai'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useEventSource } from '../src/index'
import { startAiSdkServer } from './fixtures/servers/runs/aiSdk'
import { startLastEventIdRunServer } from './fixtures/servers/runs/lastEventId'
import { startResumableCluster } from './fixtures/servers/runs/resumable'
import { startTanStackRunServer } from './fixtures/servers/runs/tanstack'
import { startRedis } from './support/redis'

let redis: Awaited<ReturnType<typeof startRedis>>
const scopes: EffectScope[] = []
beforeAll(async () => {
  redis = await startRedis()
})
afterEach(() => {
  for (const scope of scopes.splice(0))
    scope.stop()
})
afterAll(async () => {
  await redis?.close()
})

const location = (response: Response): string | null => response.headers.get('location')
const posts = (requests: RunRequest[]): number => requests.filter(request => request.method === 'POST').length
const gets = (requests: RunRequest[]): RunRequest[] => requests.filter(request => request.method === 'GET')
/** The text of the AI SDK mock model's whole answer of `deltas` deltas: 'w1 w2 … '. */
const answerOf = (deltas: number): string => Array.from({ length: deltas }, (_, i) => `w${i + 1} `).join('')
/** The text deltas of the AI SDK's UI message stream parts, joined. */
const deltasOf = (data: unknown[]): string => (data as { type: string, delta?: string }[]).filter(part => part.type === 'text-delta').map(part => part.delta).join('')
/** The text of useChat's assistant messages, each message's text parts joined. */
const assistantText = (messages: UIMessage[]): string[] => messages.filter(message => message.role === 'assistant').map(message => message.parts.map(part => part.type === 'text' ? part.text : '').join(''))
const userMessage = (text: string): UIMessage => ({ id: 'm1', role: 'user', parts: [{ type: 'text', text }] })

/** A POST run read with useEventSource; `cutAfter(n, cut)` drops the connection after the n-th event. */
function readRun(url: string, options: UseEventSourceOptions<unknown> & { resume: NonNullable<UseEventSourceOptions<unknown>['resume']> }, cuts: { after: number, cut: () => void }[] = []) {
  const data: unknown[] = []
  const errors: EventSourceError[] = []
  const scope = effectScope()
  scopes.push(scope)
  const merged = { method: 'POST', body: { prompt: 'hi' }, reconnect: { delay: 50, jitter: 0 }, ...options, parse: 'json' as const, onError: (error: EventSourceError) => errors.push(error) }
  const stream = scope.run(() => useEventSource<unknown>(url, merged))!
  stream.on('message', ({ data: value }) => {
    data.push(value)
    for (const cut of cuts) {
      if (cut.after === data.length)
        cut.cut()
    }
  })
  return { stream, data, errors }
}

describe('a Last-Event-ID run server (ours)', () => {
  it('a run broken twice: every event exactly once, in order, one POST', async () => {
    const server = await startLastEventIdRunServer({ events: 30, intervalMs: 10 })
    try {
      const { stream, data } = readRun(`${server.url}/api/runs`, { closeData: '[DONE]', resume: { url: location } }, [{ after: 5, cut: server.cut }, { after: 17, cut: server.cut }])
      await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 10_000 })
      expect(data.map(d => (d as { i: number }).i)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
      expect(posts(server.requests)).toBe(1)
      const resumes = server.requests.filter(request => request.method === 'GET')
      expect(resumes.length).toBeGreaterThanOrEqual(2)
      expect(resumes.every(request => request.lastEventId !== null && request.status === 200)).toBe(true)
      expect(stream.error.value).toBeNull()
    }
    finally {
      await server.close()
    }
  })

  it('after a reload: a GET to the kept resume URL from the kept last event ID reads the rest, and closes at the end', async () => {
    const server = await startLastEventIdRunServer({ events: 20, intervalMs: 10 })
    try {
      // the page that started the run kept its resume URL and last event ID, then went away
      const first = readRun(`${server.url}/api/runs`, { closeData: '[DONE]', resume: { url: location } })
      await vi.waitFor(() => expect(first.data.length).toBeGreaterThanOrEqual(4))
      const saved = { url: first.stream.resumeUrl.value!, lastEventId: first.stream.lastEventId.value }
      const seen = first.data.length
      scopes.pop()!.stop()
      const scope = effectScope()
      scopes.push(scope)
      const rest: number[] = []
      const resumed = scope.run(() => useEventSource<{ i: number }>(saved.url, { parse: 'json', lastEventId: saved.lastEventId, closeData: '[DONE]', resume: { url: response => response.url } }))!
      resumed.on('message', ({ data }) => rest.push(data.i))
      await vi.waitFor(() => expect(resumed.done.value).toBe(true), { timeout: 10_000 })
      expect(rest).toEqual(Array.from({ length: 20 - seen }, (_, i) => seen + i + 1))
      expect(server.requests.filter(request => request.method === 'GET')).toHaveLength(1)
      expect(posts(server.requests)).toBe(1)
    }
    finally {
      await server.close()
    }
  })

  it('a resume whose id is older than the server keeps (410): onResync hears a gap, CLOSED with the error', async () => {
    const server = await startLastEventIdRunServer({ events: 40, intervalMs: 10, keep: 3 })
    try {
      const gaps: string[] = []
      const { stream } = readRun(`${server.url}/api/runs`, { closeData: '[DONE]', resume: { url: location }, reconnect: { delay: 400, jitter: 0 }, onResync: info => gaps.push(info.reason) }, [{ after: 2, cut: server.cut }])
      await vi.waitFor(() => expect(stream.status.value).toBe('CLOSED'), { timeout: 10_000 })
      expect(gaps).toEqual(['gap'])
      expect(stream.error.value).toMatchObject({ type: 'http-status', status: 410 })
      expect(posts(server.requests)).toBe(1)
    }
    finally {
      await server.close()
    }
  })
})

describe('resumable-stream with a real Redis, two instances behind a round-robin proxy', () => {
  it('from the start: the socket of the POST destroyed mid-run, the resume lands on the other instance, every event once', async () => {
    const cluster = await startResumableCluster({ redisUrl: redis.url, events: 40, intervalMs: 15 })
    try {
      const { stream, data } = readRun(`${cluster.url}/api/runs`, { closeData: '[DONE]', resume: { url: location, from: 'start' } }, [{ after: 10, cut: cluster.cut }])
      await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 15_000 })
      expect(data.map(d => (d as { i: number }).i)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      expect(posts(cluster.requests)).toBe(1)
      const [post, ...resumes] = cluster.requests
      expect(resumes.length).toBeGreaterThanOrEqual(1)
      expect(resumes[0]!.instance).not.toBe(post!.instance)
      expect(resumes[0]!.lastEventId).toBeNull()
    }
    finally {
      await cluster.close()
    }
  })

  it('with ids and Last-Event-ID: the server replays from its first byte anyway, and the replay is dropped', async () => {
    const cluster = await startResumableCluster({ redisUrl: redis.url, events: 30, intervalMs: 15, ids: true })
    try {
      const { stream, data } = readRun(`${cluster.url}/api/runs`, { closeData: '[DONE]', resume: { url: location } }, [{ after: 8, cut: cluster.cut }])
      await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 15_000 })
      expect(data.map(d => (d as { i: number }).i)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
      expect(cluster.requests.find(request => request.method === 'GET')!.lastEventId).toBe('8')
      expect(posts(cluster.requests)).toBe(1)
    }
    finally {
      await cluster.close()
    }
  })

  it('a run whose producing instance died: 500s, bounded by resume.retries, then CLOSED; no second POST', async () => {
    const cluster = await startResumableCluster({ redisUrl: redis.url, events: 400, intervalMs: 15 })
    try {
      const { stream } = readRun(`${cluster.url}/api/runs`, { closeData: '[DONE]', resume: { url: location, from: 'start', retries: 2 } }, [{
        after: 3,
        cut: () => {
          const producer = cluster.requests[0]!.instance
          void cluster.killInstance(producer).then(cluster.cut)
        },
      }])
      await vi.waitFor(() => expect(stream.status.value).toBe('CLOSED'), { timeout: 20_000 })
      expect(stream.error.value).toMatchObject({ status: 500 })
      expect(cluster.requests.filter(request => request.method === 'GET')).toHaveLength(2)
      expect(posts(cluster.requests)).toBe(1)
    }
    finally {
      await cluster.close()
    }
  })
})

describe('the AI SDK\'s own resume recipe (ai, a mock model, consumeSseStream with resumable-stream)', () => {
  it('from the start, keyed by the chat id: every text delta once, in order, one POST', async () => {
    const server = await startAiSdkServer({ redisUrl: redis.url, deltas: 200, chunkDelayMs: 5 })
    try {
      const chatId = `chat-${Date.now()}`
      const { stream, data } = readRun(`${server.url}/api/chat`, {
        body: { id: chatId, messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'hi' }] }] },
        closeData: '[DONE]',
        resume: { url: `/api/chat/${chatId}/stream`, from: 'start' },
      }, [{ after: 60, cut: server.cut }])
      await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 15_000 })
      const text = (data as { type: string, delta?: string }[]).filter(part => part.type === 'text-delta').map(part => part.delta).join('')
      expect(text).toBe(Array.from({ length: 200 }, (_, i) => `w${i + 1} `).join(''))
      expect((data as { type: string }[]).filter(part => part.type === 'start')).toHaveLength(1)
      expect(posts(server.requests)).toBe(1)
    }
    finally {
      await server.close()
    }
  })

  it('a resume after the run finished answers 204: CLOSED, incomplete (the end was not seen), no request after', async () => {
    const server = await startAiSdkServer({ redisUrl: redis.url, deltas: 20, chunkDelayMs: 5 })
    try {
      const chatId = `chat-late-${Date.now()}`
      // the connection is cut and the resume waits until the run has finished on the server
      const { stream } = readRun(`${server.url}/api/chat`, {
        body: { id: chatId, messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'hi' }] }] },
        closeData: '[DONE]',
        reconnect: { delay: 1500, jitter: 0 },
        resume: { url: `/api/chat/${chatId}/stream`, from: 'start' },
      }, [{ after: 3, cut: server.cut }])
      await vi.waitFor(() => expect(stream.status.value).toBe('CLOSED'), { timeout: 10_000 })
      expect(stream.error.value?.type).toBe('incomplete')
      expect(stream.done.value).toBe(false)
      const count = server.requests.length
      await new Promise(resolve => setTimeout(resolve, 300))
      expect(server.requests).toHaveLength(count)
      expect(server.requests.at(-1)).toMatchObject({ method: 'GET', status: 204 })
    }
    finally {
      await server.close()
    }
  })

  it('a resume answered 200 with text/html (an app deployed without its resume route): a content-type error, CLOSED, one GET, one POST, nothing twice', async () => {
    // docs/guide/resumable-runs.md: a resume answered with HTML is a content-type error, never retried
    const server = await startAiSdkServer({ redisUrl: redis.url, deltas: 200, chunkDelayMs: 5, resumeRoute: false })
    try {
      const chatId = `chat-html-${Date.now()}`
      const { stream, data, errors } = readRun(`${server.url}/api/chat`, {
        body: { id: chatId, messages: [userMessage('hi')] },
        closeData: '[DONE]',
        resume: { url: `/api/chat/${chatId}/stream`, from: 'start' },
      }, [{ after: 20, cut: server.cut }])
      await vi.waitFor(() => expect(stream.status.value).toBe('CLOSED'), { timeout: 15_000 })
      expect(stream.error.value).toMatchObject({ type: 'content-type', contentType: 'text/html; charset=utf-8' })
      expect(stream.done.value).toBe(false)
      expect(errors.map(error => error.type)).toEqual(['network', 'content-type'])
      // what the POST delivered before the break, once each: a prefix of the answer, one start
      const text = deltasOf(data)
      expect(text.length).toBeGreaterThan(0)
      expect(answerOf(200).startsWith(text)).toBe(true)
      expect((data as { type: string }[]).filter(part => part.type === 'start')).toHaveLength(1)
      const count = server.requests.length
      await new Promise(resolve => setTimeout(resolve, 500))
      expect(server.requests).toHaveLength(count)
      expect(posts(server.requests)).toBe(1)
      expect(gets(server.requests).map(request => request.status)).toEqual([200])
    }
    finally {
      await server.close()
    }
  })
})

describe('beside useChat of @ai-sdk/vue, on the AI SDK resume recipe', () => {
  // docs/guide/resumable-runs.md, "Beside the AI SDK's useChat": measured here, in Node (undici's fetch)
  it('the POST socket destroyed mid-run: ours reads the whole answer by itself; useChat stops in error, asks nothing more, and reads the whole answer when resumeStream() is called', async () => {
    const server = await startAiSdkServer({ redisUrl: redis.url, deltas: 300, chunkDelayMs: 10 })
    try {
      // ours, with resume from the start at the recipe's resume route
      const ours = `chat-ours-${Date.now()}`
      const { stream, data } = readRun(`${server.url}/api/chat`, {
        body: { id: ours, messages: [userMessage('hi')] },
        closeData: '[DONE]',
        resume: { url: `/api/chat/${ours}/stream`, from: 'start' },
      }, [{ after: 60, cut: server.cut }])
      await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 15_000 })
      expect(deltasOf(data)).toBe(answerOf(300))
      expect(server.requests.map(request => [request.method, request.status])).toEqual([['POST', 200], ['GET', 200]])

      // useChat on the same server, its socket destroyed at the same point
      const theirs = `chat-theirs-${Date.now()}`
      const before = server.requests.length
      const scope = effectScope()
      scopes.push(scope)
      const chat = scope.run(() => useChat({ id: theirs, transport: new DefaultChatTransport({ api: `${server.url}/api/chat` }) }))!
      const sent = chat.sendMessage({ text: 'hi' })
      await vi.waitFor(() => expect(assistantText(chat.messages.value).join('').length).toBeGreaterThanOrEqual(answerOf(60).length), { timeout: 15_000, interval: 1 })
      server.cut()
      await sent
      await new Promise(resolve => setTimeout(resolve, 500))
      expect(chat.status.value).toBe('error')
      // undici's error for a body cut short; Chromium's reads "network error"
      expect(chat.error.value).toBeInstanceOf(TypeError)
      const [partial] = assistantText(chat.messages.value)
      expect(partial!.length).toBeLessThan(answerOf(300).length)
      expect(answerOf(300).startsWith(partial!)).toBe(true)
      // nothing is asked of the server after the drop: no resume of its own
      expect(server.requests.slice(before).map(request => request.method)).toEqual(['POST'])

      // the app calls resumeStream(): one GET, the run replayed from its start, the message rebuilt
      await chat.resumeStream()
      await vi.waitFor(() => expect(chat.status.value).toBe('ready'), { timeout: 15_000 })
      expect(chat.messages.value.map(message => message.role)).toEqual(['user', 'assistant'])
      // the answer as a message of parts, its text one part; ours handed over each text-delta event
      expect(chat.messages.value[1]!.parts.filter(part => part.type === 'text')).toHaveLength(1)
      expect(assistantText(chat.messages.value)).toEqual([answerOf(300)])
      expect(server.requests.slice(before).map(request => [request.method, request.status])).toEqual([['POST', 200], ['GET', 200]])
    }
    finally {
      await server.close()
    }
  }, 30_000)

  it('after a reload: a new useChat with the chat id and resumeStream() on mount reads the whole answer by one GET', async () => {
    // docs/guide/resumable-runs.md, "Beside the AI SDK's useChat"
    const server = await startAiSdkServer({ redisUrl: redis.url, deltas: 300, chunkDelayMs: 10 })
    try {
      const chatId = `chat-reload-${Date.now()}`
      const transport = (): DefaultChatTransport<UIMessage> => new DefaultChatTransport({ api: `${server.url}/api/chat` })
      const page = effectScope()
      const chat = page.run(() => useChat({ id: chatId, transport: transport() }))!
      const sent = chat.sendMessage({ text: 'hi' })
      await vi.waitFor(() => expect(assistantText(chat.messages.value).join('').length).toBeGreaterThanOrEqual(answerOf(60).length), { timeout: 15_000, interval: 1 })
      // the page goes away with its connection; the app kept the user's message
      const kept = chat.messages.value.filter(message => message.role === 'user')
      page.stop()
      server.cut()
      await sent
      const reloaded = effectScope()
      scopes.push(reloaded)
      const again = reloaded.run(() => useChat({ id: chatId, messages: kept, transport: transport() }))!
      await again.resumeStream()
      await vi.waitFor(() => expect(again.status.value).toBe('ready'), { timeout: 15_000 })
      expect(assistantText(again.messages.value)).toEqual([answerOf(300)])
      expect(server.requests.map(request => [request.method, request.status])).toEqual([['POST', 200], ['GET', 200]])
    }
    finally {
      await server.close()
    }
  }, 30_000)
})

describe('resumeServerSentEventsResponse of TanStack AI', () => {
  it('opaque ids sent back unchanged; the run ends after RUN_FINISHED without [DONE]: every event once, done', async () => {
    const server = await startTanStackRunServer({ events: 30, intervalMs: 10 })
    try {
      const { stream, data } = readRun(`${server.url}/api/runs`, { resume: { url: location } }, [{ after: 6, cut: server.cut }])
      await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 10_000 })
      const types = (data as { type: string }[]).map(event => event.type)
      expect(types.at(-1)).toBe('RUN_FINISHED')
      expect(new Set(types.map((type, i) => `${type}:${JSON.stringify(data[i])}`)).size).toBe(types.length)
      const resume = server.requests.find(request => request.method === 'GET')!
      expect(resume.lastEventId).toMatch(/^memory:v1:/)
      expect(posts(server.requests)).toBe(1)
    }
    finally {
      await server.close()
    }
  })
})
