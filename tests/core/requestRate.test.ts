// Tests here hold promises of docs/guide/reconnection.md and docs/guide/errors.md (listed in tests/fixtures/promises/).
import { describe, expect, it } from 'vitest'
import { connect, sleep, stageScript, streamOf, uniqueKey, useTestServer } from '../support/helpers'
import { freePort } from '../support/ports'

// The rule: against a failing server the request rate is bounded by the reconnect policy (backoff from
// reconnect.delay, doubling), whatever the server's retry: said. A retry: sets the wait after a clean end.

const server = useTestServer()
const policy = { reconnect: { delay: 100, jitter: 0 } }
// 100, 200, 400, 800 ms of backoff fit about five requests in 1.5 s after the first.
const BOUND = 7

describe('the request rate against a failing server is bounded, whatever retry: said', () => {
  it('retry: 0, then 503 every time: backoff still grows from reconnect.delay', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('retry: 0\nid: 1\ndata: hello\n\n'), ...Array.from({ length: 50 }, () => ({ status: 503 }))])
    const { messages } = connect(url, policy)
    await sleep(1500)
    expect(messages).toHaveLength(1)
    const requests = server.current.stats(key).requests.length
    expect(requests).toBeGreaterThanOrEqual(3)
    expect(requests).toBeLessThanOrEqual(BOUND)
  })

  it('retry: 0, then empty streams: a stream that ends without an event counts as a failure', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('retry: 0\nid: 1\ndata: hello\n\n'), ...Array.from({ length: 50 }, () => streamOf(': nothing\n\n'))])
    connect(url, policy)
    await sleep(1500)
    const requests = server.current.stats(key).requests.length
    expect(requests).toBeGreaterThanOrEqual(3)
    expect(requests).toBeLessThanOrEqual(BOUND)
  })

  it('retry: 0, then refused connections: the same bound', async () => {
    const key = uniqueKey()
    const refused = `http://127.0.0.1:${await freePort()}/events`
    let attempts = 0
    const first = server.current.route('events', { key, count: 1, retry: 0 })
    const { errors } = connect(() => (++attempts === 1 ? first : refused), policy)
    await sleep(1500)
    expect(errors.length).toBeGreaterThanOrEqual(2)
    expect(errors.every(e => e.type === 'network')).toBe(true)
    expect(attempts).toBeLessThanOrEqual(BOUND)
  })

  it('with the default policy, retry: 0 then 503 makes a handful of requests in 3 s, not thousands', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('retry: 0\ndata: hello\n\n'), ...Array.from({ length: 50 }, () => ({ status: 503 }))])
    connect(url)
    await sleep(3000)
    expect(server.current.stats(key).requests.length).toBeLessThanOrEqual(4)
  })

  it('a retry: 0 still reconnects at once after a clean end that followed events, as the spec says', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('retry: 0\nid: 1\ndata: a\n\n'), streamOf('id: 2\ndata: b\n\n'), streamOf('id: 3\ndata: c\n\n')])
    const started = Date.now()
    const { messages } = connect(url, { reconnect: { delay: 5000, jitter: 0 } })
    while (messages.length < 3 && Date.now() - started < 2000)
      await sleep(10)
    expect(messages.map(m => m.data)).toEqual(['a', 'b', 'c'])
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
