import type { ServerResponse } from 'node:http'
import type { RunStore } from '../runs.ts'
import type { Endpoint } from '../sse.ts'
import process from 'node:process'
import { memoryRuns, redisRuns, runEvent } from '../runs.ts'
import { json, readBody, startStream } from '../sse.ts'

/** What the server saw for one message id: its POSTs, and the Last-Event-ID of each resume GET. */
interface MessageLog { posts: number, resumes: (string | null)[] }

const runPath = /^\/runs\/([\w-]+)(\/stop)?$/
const messageId = /^[\w-]+$/

/**
 * The chat demo's server, an LLM API in miniature whose runs outlive their requests:
 * - `POST` `{ id, prompt }` starts run `id`: its answer word by word as `id: <n>` + `data: {"token": …}`,
 *   then `data: [DONE]`; `Location: /sse/chat/runs/<id>` names where it can be read again.
 * - `GET runs/<id>` reads the run again after `Last-Event-ID` (from its start without one), then live;
 *   204 when the store has nothing to resume, 404 for a run it never saw.
 * - `POST runs/<id>/stop` stops producing run `id`; `POST drop` cuts every run connection mid-stream.
 * - `GET log` is what the server saw per message id; `GET store` says where runs are kept.
 * The run goes on producing when its client goes away, as an LLM run does.
 */
export function chat(redisUrl = process.env.REDIS_URL): Endpoint & { close: () => Promise<void> } {
  const log = new Map<string, MessageLog>()
  const logOf = (id: string): MessageLog => log.get(id) ?? log.set(id, { posts: 0, resumes: [] }).get(id)!
  /** The responses writing a run now: `drop` destroys their sockets, as a dropped connection would. */
  const writing = new Set<ServerResponse>()
  /** Runs being produced, to stop on request. */
  const producers = new Map<string, () => void>()
  let store: Promise<RunStore> | undefined
  const runs = (): Promise<RunStore> => store ??= redisUrl ? redisRuns(redisUrl) : Promise.resolve(memoryRuns())
  const write = (stream: ReadableStream<string>, res: ServerResponse): void => writeRun(stream, res, writing)

  const endpoint: Endpoint = (req, res, _url, path) => {
    if (path === '/log')
      return json(res, Object.fromEntries(log))
    if (path === '/store')
      return void runs().then(store => json(res, { store: store.name }), error => json(res, { error: String(error) }, 500))
    if (path === '/drop' && req.method === 'POST') {
      const dropped = writing.size
      for (const response of writing)
        response.destroy()
      return json(res, { dropped })
    }
    const run = runPath.exec(path)
    if (run && run[2] && req.method === 'POST') {
      producers.get(run[1]!)?.()
      return json(res, { stopped: run[1] })
    }
    if (run && req.method === 'GET') {
      const id = run[1]!
      const lastEventId = typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : null
      logOf(id).resumes.push(lastEventId)
      const from = Number(lastEventId ?? 0)
      if (!Number.isSafeInteger(from) || from < 0)
        return json(res, { error: 'Last-Event-ID is not an offset of this run' }, 400)
      return void runs().then(async (store) => {
        const stream = await store.resume(id, from)
        if (stream === undefined)
          return json(res, { error: `no run ${id}` }, 404)
        if (stream === null)
          return void res.writeHead(204).end()
        write(stream, res)
      }).catch(error => json(res, { error: String(error) }, 500))
    }
    if (path !== '' || req.method !== 'POST')
      return json(res, { error: 'POST a JSON body { id, prompt }' }, 405)
    void readBody(req).then(async (body) => {
      let message: { id?: string, prompt?: string }
      try {
        message = JSON.parse(body) as { id?: string, prompt?: string }
      }
      catch {
        return json(res, { error: 'the body is not JSON' }, 400)
      }
      const id = String(message.id ?? 'unknown')
      if (!messageId.test(id))
        return json(res, { error: 'the id is letters, digits, - and _' }, 400)
      logOf(id).posts++
      const store = await runs()
      const stream = await store.start(id, () => produce(message.prompt ?? '', producers, id))
      res.setHeader('location', `/sse/chat/runs/${id}`)
      write(stream, res)
    }).catch(error => json(res, { error: String(error) }, 500))
  }
  return Object.assign(endpoint, { close: async () => store && (await store).close() })
}

/** The whole answer the demo streams for `prompt`, word by word (the tests read it from here too). */
export function answerTo(prompt: string): string {
  return `You asked: “${prompt}”. Here is the answer, streamed one token at a time, as a language model sends it. Drop the connection or reload the page while it streams: the rest is read again, each word once.`
}

/** The answer to `prompt`, one word every 60 ms, each event's id the run's length after it. */
function produce(prompt: string, producers: Map<string, () => void>, id: string): ReadableStream<string> {
  const words = answerTo(prompt).split(' ')
  let length = 0
  const next = (data: string): string => {
    const event = runEvent(length, data)
    length += event.length
    return event
  }
  let timer: ReturnType<typeof setInterval> | undefined
  return new ReadableStream<string>({
    start(controller) {
      let i = 0
      const finish = (): void => {
        clearInterval(timer)
        producers.delete(id)
        controller.enqueue(next('[DONE]'))
        controller.close()
      }
      producers.set(id, finish)
      timer = setInterval(() => {
        if (i === words.length)
          return finish()
        controller.enqueue(next(JSON.stringify({ token: (i === 0 ? '' : ' ') + words[i] })))
        i++
      }, 60)
    },
    cancel() {
      clearInterval(timer)
      producers.delete(id)
    },
  })
}

/** Writes a run's stream to `res` as an event stream, until it ends or the client goes away. */
function writeRun(stream: ReadableStream<string>, res: ServerResponse, writing: Set<ServerResponse>): void {
  startStream(res)
  writing.add(res)
  const reader = stream.getReader()
  res.once('close', () => {
    writing.delete(res)
    void reader.cancel()
  })
  void (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      res.write(chunk.value)
    res.end()
  })().catch(() => res.destroy())
}
