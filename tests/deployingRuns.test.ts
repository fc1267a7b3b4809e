// Tests here hold promises of docs/deploying.md (listed in tests/fixtures/promises/deploying.ts).
/**
 * What resumable-stream does when a run outgrows one machine, read on the wire with plain fetch: two server
 * instances share one Redis behind a round-robin proxy (tests/fixtures/servers/runs/resumable.ts). These pin
 * the server's side of the deploying page, and why its server snippet encodes the stream before it becomes a
 * Response; how useEventSource reads the same cluster is in tests/runs.test.ts.
 */
import type { ResumableCluster } from './fixtures/servers/runs/resumable'
import { randomUUID } from 'node:crypto'
import { createClient } from 'redis'
import { createResumableStreamContext } from 'resumable-stream'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startResumableCluster } from './fixtures/servers/runs/resumable'
import { startRedis } from './support/redis'

let redis: Awaited<ReturnType<typeof startRedis>>
let cluster: ResumableCluster | undefined
beforeAll(async () => {
  redis = await startRedis()
})
afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})
afterAll(async () => {
  await redis?.close()
})

/** Reads `body` chunk by chunk; each call of `next` gives the `data:` values of the next chunk, or null at the end. */
function dataReader(body: ReadableStream<Uint8Array>): { next: () => Promise<string[] | null>, cancel: () => Promise<void> } {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let pending = ''
  return {
    async next() {
      const { done, value } = await reader.read()
      if (done)
        return null
      pending += decoder.decode(value, { stream: true })
      const blocks = pending.split('\n\n')
      pending = blocks.pop()!
      return blocks.flatMap(block => block.split('\n').filter(line => line.startsWith('data: ')).map(line => line.slice(6)))
    },
    cancel: () => reader.cancel().catch(() => {}),
  }
}

/** Starts a run by POST through the proxy; its resume URL, and a reader of its stream. */
async function startRun(url: string): Promise<{ resumeUrl: string, stream: ReturnType<typeof dataReader> }> {
  const response = await fetch(`${url}/api/runs`, { method: 'POST', body: '{}' })
  expect(response.status).toBe(200)
  return { resumeUrl: new URL(response.headers.get('location')!, url).href, stream: dataReader(response.body!) }
}

const run = (events: number): string[] => [...Array.from({ length: events }, (_, i) => `{"i":${i + 1},"token":"t${i + 1}"}`), '[DONE]']

describe('resumable-stream on two instances sharing one Redis, behind a round-robin proxy', () => {
  it('a resume on the instance that is not producing the run replays it from its first event, then goes live', async () => {
    cluster = await startResumableCluster({ redisUrl: redis.url, events: 40, intervalMs: 20 })
    const { resumeUrl, stream } = await startRun(cluster.url)
    let received = 0
    while (received < 10)
      received += (await stream.next())!.length
    // The POST's client goes away; the run goes on on its instance.
    await stream.cancel()

    const response = await fetch(resumeUrl)
    expect(response.status).toBe(200)
    const resumed = dataReader(response.body!)
    const first = (await resumed.next())!
    const all = [...first]
    for (let chunk = await resumed.next(); chunk !== null; chunk = await resumed.next())
      all.push(...chunk)
    expect(all).toEqual(run(40))
    // The replay is what was produced when the resume came; the rest came as it was produced.
    expect(first[0]).toBe(run(40)[0])
    expect(first.length).toBeLessThan(40)
    const [post, resume] = cluster.requests
    expect(resume!.instance).not.toBe(post!.instance)
  }, 15_000)

  it('a finished run: a resume answers 204 on either instance', async () => {
    cluster = await startResumableCluster({ redisUrl: redis.url, events: 10, intervalMs: 10 })
    const { resumeUrl, stream } = await startRun(cluster.url)
    const all: string[] = []
    for (let chunk = await stream.next(); chunk !== null; chunk = await stream.next())
      all.push(...chunk)
    expect(all).toEqual(run(10))
    // The producer writes the done marker to Redis as its stream closes, a moment after the last byte.
    await new Promise(resolve => setTimeout(resolve, 200))
    const statuses = [(await fetch(resumeUrl)).status, (await fetch(resumeUrl)).status]
    expect(statuses).toEqual([204, 204])
    expect(new Set(cluster.requests.slice(1).map(request => request.instance))).toEqual(new Set([0, 1]))
  }, 15_000)

  it('a producing instance that died: each resume answers 500 after about 1 s, and goes on answering it', async () => {
    cluster = await startResumableCluster({ redisUrl: redis.url, events: 400, intervalMs: 15 })
    const { resumeUrl, stream } = await startRun(cluster.url)
    let received = 0
    while (received < 3)
      received += (await stream.next())!.length
    await cluster.killInstance(cluster.requests[0]!.instance)
    await stream.cancel()

    const answers: { status: number, ms: number }[] = []
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      const response = await fetch(resumeUrl)
      await response.arrayBuffer().catch(() => {})
      answers.push({ status: response.status, ms: performance.now() - started })
    }
    expect(answers.map(answer => answer.status)).toEqual([500, 500, 500])
    for (const { ms } of answers) {
      expect(ms).toBeGreaterThanOrEqual(900)
      expect(ms).toBeLessThan(3000)
    }
  }, 20_000)
})

describe('resumable-stream\'s stream as a fetch Response on Node', () => {
  it('new Response refuses its string chunks; encoded with a TextEncoderStream, it is read whole', async () => {
    const publisher = createClient({ url: redis.url })
    const subscriber = publisher.duplicate()
    await Promise.all([publisher.connect(), subscriber.connect()])
    try {
      const context = createResumableStreamContext({ waitUntil: null, publisher, subscriber })
      const produce = (): ReadableStream<string> => new ReadableStream<string>({
        start(controller) {
          controller.enqueue('data: {"i":1}\n\n')
          controller.enqueue('data: [DONE]\n\n')
          controller.close()
        },
      })
      const plain = (await context.createNewResumableStream(randomUUID(), produce))!
      await expect(new Response(plain).text()).rejects.toThrow(TypeError)
      const encoded = (await context.createNewResumableStream(randomUUID(), produce))!
      expect(await new Response(encoded.pipeThrough(new TextEncoderStream())).text()).toBe('data: {"i":1}\n\ndata: [DONE]\n\n')
    }
    finally {
      await Promise.all([publisher.close(), subscriber.close()])
    }
  })
})
