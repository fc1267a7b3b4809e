import type { EventSourceClass } from '../fixtures/guides'
/**
 * The drop-in `EventSource` beside Chromium's own, in the same page, on the same scenarios: what each
 * fires (type, data, lastEventId, origin, readyState at the time) must be the same, and the server must
 * see the same requests. Then the users' guide shape (a), run unchanged on each. docs/migrating.md: "runs
 * both side by side in Chromium and compares what they fire".
 */
import { describe, expect, it } from 'vitest'
import { EventSource as DropIn } from '../../src/eventsource/index'
import { guideShapeA } from '../fixtures/guides'
import { otherServer, otherServerUrl, server, stats, uniqueKey } from './stats'

type Constructor = typeof globalThis.EventSource | typeof DropIn
const clients: [string, Constructor][] = [['native', globalThis.EventSource], ['drop-in', DropIn]]

/** Opens `url` with `Client` and records every event until `done(log)` or `timeout` ms. */
async function record(Client: Constructor, url: string, types: string[], done: (log: string[]) => boolean, timeout = 5000): Promise<string[]> {
  const log: string[] = []
  const source = new Client(url)
  return await new Promise((resolve) => {
    const finish = (): void => {
      source.close()
      resolve(log)
    }
    const timer = setTimeout(finish, timeout)
    for (const type of ['open', 'error', 'message', ...types]) {
      source.addEventListener(type, (event: Event) => {
        const message = event as MessageEvent
        log.push(type === 'open' || type === 'error'
          ? `${type} ${source.readyState}`
          : `${type} ${String(message.data)} id=${message.lastEventId} origin=${message.origin === otherServerUrl ? 'other' : message.origin === server.url ? 'server' : message.origin}`)
        if (done(log)) {
          clearTimeout(timer)
          finish()
        }
      })
    }
  })
}

async function both(route: (key: string) => string, types: string[], done: (log: string[]) => boolean, timeout?: number) {
  const result: Record<string, { log: string[], requests: { lastEventId: unknown }[] }> = {}
  for (const [name, Client] of clients) {
    const key = uniqueKey()
    const log = await record(Client, route(key), types, done, timeout)
    const requests = (await stats(key)).requests.map(r => ({ lastEventId: r.headers['last-event-id'] }))
    result[name] = { log, requests }
  }
  return result
}

describe('drop-in EventSource and Chromium\'s, side by side', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('a stream that ends reconnects with Last-Event-ID, firing the same events in the same states', async () => {
    const run = await both(key => server.route('events', { key, count: 4, per: 2, retry: 10 }), [], log => log.filter(l => l.startsWith('message')).length === 4)
    expect(run['drop-in']).toEqual(run.native)
    expect(run.native!.log).toEqual(['open 1', 'message event 1 id=1 origin=server', 'message event 2 id=2 origin=server', 'error 0', 'open 1', 'message event 3 id=3 origin=server', 'message event 4 id=4 origin=server'])
    expect(run.native!.requests).toEqual([{}, { lastEventId: '2' }])
  })

  it('named events reach their listeners; readyState is OPEN in each', async () => {
    const run = await both(key => server.route('events', { key, count: 2, event: 'tick', hold: true }), ['tick'], log => log.length === 3)
    expect(run['drop-in']).toEqual(run.native)
    expect(run.native!.log).toEqual(['open 1', 'tick event 1 id=1 origin=server', 'tick event 2 id=2 origin=server'])
  })

  for (const [name, route] of [['503', 'status'], ['204', 'no-content'], ['a 200 that is not text/event-stream', 'wrong-type']] as const) {
    it(`${name} fails the connection: one error event with readyState CLOSED, no retry`, async () => {
      const run = await both(key => server.route(route, { key, code: 503 }), [], () => false, 1500)
      expect(run['drop-in']).toEqual(run.native)
      expect(run.native!.log).toEqual(['error 2'])
      expect(run.native!.requests).toHaveLength(1)
    })
  }

  it('follows a redirect to another origin, and MessageEvent.origin names where the stream came from', async () => {
    const run = await both(key => server.route('redirect', { key, to: otherServer.route('events', { key, count: 1, hold: true }) }), [], log => log.length === 2)
    expect(run['drop-in']!.log).toEqual(run.native!.log)
    expect(run.native!.log).toEqual(['open 1', 'message event 1 id=1 origin=other'])
  })
})

describe('the users\' guide shape (a), run unchanged on Chromium\'s EventSource and on the drop-in', () => {
  it('same items, notices, updates and closing, one request each', async () => {
    const outcomes: Record<string, unknown> = {}
    for (const [name, EventSource] of clients) {
      const key = uniqueKey()
      const url = server.route('guide', { key, interval: 50, closeAfter: 600 })
      const { items, notices, updates, log, source } = guideShapeA(EventSource as unknown as EventSourceClass, url)
      await expect.poll(() => log.length, { timeout: 5000 }).toBe(1)
      outcomes[name] = { log, kinds: [items, notices, updates].map(list => list.length > 0), requests: (await stats(key)).requests.length, readyState: source().readyState }
    }
    expect(outcomes['drop-in']).toEqual(outcomes.native)
    expect(outcomes.native).toEqual({ log: ['close'], kinds: [true, true, true], requests: 1, readyState: 2 })
  })
})

// Issue 30 (web-platform-tests eventsource-cross-origin: "allow-origin: http://example.org should fail",
// "allow-origin:'' should fail", "No allow-origin should fail"): a CORS refusal is fatal, so the browser
// fails the connection; the drop-in reconnected for ever. Now both: one error, readyState CLOSED, and no
// further request.
describe('a CORS refusal fails the connection, as the browser\'s does', () => {
  const refusals: [string, { cors?: 'none', allowOrigin?: string }][] = [
    ['allow-origin: http://example.org', { allowOrigin: 'http://example.org' }],
    ['allow-origin: \'\'', { allowOrigin: '' }],
    ['no allow-origin', { cors: 'none' }],
  ]
  it.each(refusals)('%s: native and drop-in both end CLOSED after one error event', async (_, cors) => {
    for (const [name, Client] of clients) {
      const key = uniqueKey()
      const log = await record(Client, server.route('forever', { key, interval: 50, ...cors }), [], entries => entries.includes('error 2'), 4000)
      expect(log, name).toEqual(['error 2'])
      await new Promise(resolve => setTimeout(resolve, 300))
      // The drop-in's no-cors probe (a HEAD) tells the refusal from a server that is down; no GET follows.
      expect((await stats(key)).requests.filter(r => r.method === 'GET'), name).toHaveLength(1)
    }
  })
})
