import type { UIMessage } from 'ai'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { performance } from 'node:perf_hooks'
import { convertToModelMessages, simulateReadableStream, streamText } from 'ai'
import { MockLanguageModelV4 } from 'ai/test'
import { closeServer, listen, readBody } from '../tests/fixtures/servers/runs/http'
import { rendererMainThreadNs } from './rendererCpu'

// The chat workload's server on 127.0.0.1, one origin for the page and its API (no preflight on either side):
//   POST /api/chat?delay=<ms>  a chat route as the AI SDK's docs write one: streamText on a mock model from
//                              ai/test, answered with toUIMessageStreamResponse (the UI message stream:
//                              `data: {json}` events, `{"type":"text-delta","delta":…}` per delta, `data: [DONE]`
//                              last). The model streams `deltas` deltas 'w1 ', 'w2 ', …, `delay` ms apart
//                              (none: as fast as the SDK makes them). Both clients POST here.
//   GET  /cpu                  the renderer main threads' CPU nanoseconds so far (bench/rendererCpu.ts).
//   GET  /last-write           when the server last wrote a run's last text delta to its socket, in ms since
//                              the epoch (`performance.timeOrigin + performance.now()`, the page's clock too).
//   GET  /chat-plan.json       what the page runs; POST /report: its results, once, at the end.
//   GET  anything else         the built page.

export interface ChatPlan {
  deltas: number
  rounds: number
  /** Runs before the measured rounds, not reported. */
  warmups: number
  /** Each stream: its id and the model's delay between deltas, in ms (null: none). */
  streams: { id: string, label: string, delay: number | null }[]
}

/** One client's run, as the page measured it. */
export interface ChatSample {
  stream: string
  client: 'ours' | 'theirs'
  round: number
  /** The renderer main threads' CPU time from before mounting the chat to after its answer settled, ms. */
  mainThreadMs: number
  /** From just before the request to the DOM mutation that completed the answer's text, ms. */
  lastDeltaMs: number
  /** From the server's write of the last delta to that DOM mutation, ms (the two clocks are the machine's). */
  afterWriteMs: number
  /** Every delta once, in order, in the rendered list (and, for ours, as many handled as sent). */
  ok: boolean
  problem?: string
}

export interface ChatReport {
  samples: ChatSample[]
  /** The same window with no chat in it (two /cpu reads, the settle wait), ms, per round. */
  idleMs: number[]
  userAgent: string
  failure?: string
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css' }

/** The mock model: one text part of `deltas` deltas, `delay` ms apart, then a finish. */
function mockModel(deltas: number): (delay: number | null) => MockLanguageModelV4 {
  return delay => new MockLanguageModelV4({
    doStream: async () => ({
      stream: simulateReadableStream({
        chunkDelayInMs: delay,
        chunks: [
          { type: 'text-start' as const, id: 't' },
          ...Array.from({ length: deltas }, (_, i) => ({ type: 'text-delta' as const, id: 't', delta: `w${i + 1} ` })),
          { type: 'text-end' as const, id: 't' },
          {
            type: 'finish' as const,
            finishReason: { unified: 'stop' as const, raw: undefined },
            usage: {
              inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
              outputTokens: { total: deltas, text: deltas, reasoning: undefined },
            },
          },
        ],
      }),
    }),
  })
}

export interface ChatServer {
  url: string
  /** Set once Chromium runs: /cpu reads the renderers under it. */
  browserPid: number | undefined
  report: Promise<ChatReport>
  close: () => Promise<void>
}

export async function startChatServer(plan: ChatPlan, pageDir: string): Promise<ChatServer> {
  const root = normalize(pageDir)
  const model = mockModel(plan.deltas)
  /** How the last delta's event starts on the wire: JsonToSseTransformStream writes one event per chunk. */
  const lastDelta = `"delta":"w${plan.deltas} "`
  let lastWrite = 0
  let reported!: (report: ChatReport) => void
  const report = new Promise<ChatReport>(resolve => (reported = resolve))
  const state: ChatServer = { url: '', browserPid: undefined, report, close: async () => {} }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method === 'POST' && url.pathname === '/api/chat') {
      const { messages } = JSON.parse(await readBody(req)) as { messages: UIMessage[] }
      const delay = url.searchParams.get('delay')
      const result = streamText({ model: model(delay === null ? null : Number(delay)), messages: await convertToModelMessages(messages) })
      const response = result.toUIMessageStreamResponse()
      res.writeHead(response.status, Object.fromEntries(response.headers))
      const decoder = new TextDecoder()
      for await (const chunk of response.body! as unknown as AsyncIterable<Uint8Array>) {
        if (res.destroyed)
          break
        res.write(chunk)
        if (decoder.decode(chunk).includes(lastDelta))
          lastWrite = performance.timeOrigin + performance.now()
      }
      return void res.end()
    }
    if (url.pathname === '/last-write') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      return void res.end(JSON.stringify(lastWrite))
    }
    if (url.pathname === '/cpu') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      return void res.end(JSON.stringify(state.browserPid === undefined ? 0 : rendererMainThreadNs(state.browserPid)))
    }
    if (url.pathname === '/chat-plan.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      return void res.end(JSON.stringify(plan))
    }
    if (req.method === 'POST' && url.pathname === '/report') {
      reported(JSON.parse(await readBody(req)) as ChatReport)
      return void res.writeHead(204).end()
    }
    const file = normalize(join(root, url.pathname === '/' ? 'index.html' : url.pathname))
    if (!file.startsWith(root) || url.pathname === '/favicon.ico')
      return void res.writeHead(404).end()
    try {
      const content = await readFile(file)
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(content)
    }
    catch {
      res.writeHead(404).end()
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(error))
    })
  })
  state.url = await listen(server)
  state.close = () => closeServer(server)
  return state
}
