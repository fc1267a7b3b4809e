// Tests here hold promises of docs/guide/errors.md (listed in tests/fixtures/promises/), and of docs/deploying.md
// (`network`: a request that failed before any response).
import type { FetchLike } from '../../src/core/types'
import process from 'node:process'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createEventSource } from '../../src/core/client'
import { CLOSED, OPEN } from '../../src/core/types'
import { connect, sleep, uniqueKey, useTestServer } from '../support/helpers'

// The rule: an attempt ends, whatever the code it waits on does. A custom fetch that throws, answers
// nonsense or hangs gives a typed error, never an unhandled rejection and never a client left OPEN; an
// onOpen that never settles loses to the heartbeat and to close().

const server = useTestServer()

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): number => unhandled.push(reason)
beforeEach(() => {
  unhandled.length = 0
  process.on('unhandledRejection', onUnhandled)
})
afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
})

const streamHeaders = (): Headers => new Headers({ 'content-type': 'text/event-stream' })

const oddAnswers: [string, FetchLike][] = [
  ['a body that is not a ReadableStream', async () => ({ status: 200, ok: true, headers: streamHeaders(), body: 'data: x\n\n' }) as unknown as Response],
  ['no body', async () => ({ status: 200, ok: true, headers: streamHeaders(), body: null }) as unknown as Response],
  ['undefined', async () => undefined as unknown as Response],
  ['null', async () => null as unknown as Response],
  ['a number', async () => 42 as unknown as Response],
  ['an object without headers', async () => ({ status: 200 }) as unknown as Response],
  ['a body whose reader throws', async () => ({ status: 200, headers: streamHeaders(), body: { getReader: () => { throw new Error('broken') } } }) as unknown as Response],
]

describe('a fetch that answers something unexpected', () => {
  for (const [name, fetch] of oddAnswers) {
    it(`${name}: an invalid-response error, CLOSED, no unhandled rejection`, async () => {
      const errors: string[] = []
      const client = createEventSource('http://127.0.0.1/odd', { fetch, onError: error => errors.push(error.type) })
      client.open()
      await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
      await sleep(20)
      expect(errors).toEqual(['invalid-response'])
      expect(client.state.error?.type).toBe('invalid-response')
      expect(unhandled).toEqual([])
    })
  }

  it('a fetch that throws synchronously: a network error, retried with backoff, no unhandled rejection', async () => {
    let calls = 0
    const fetch: FetchLike = () => {
      calls++
      throw new TypeError('sync failure')
    }
    const client = createEventSource('http://127.0.0.1/sync', { fetch, reconnect: { delay: 20, jitter: 0, retries: 2 } })
    client.open()
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(calls).toBe(3)
    expect(client.state.error?.type).toBe('network')
    expect(unhandled).toEqual([])
  })

  it('a fetch that never settles and ignores the signal: close() still ends the attempt at once', async () => {
    const client = createEventSource('http://127.0.0.1/hang', { fetch: () => new Promise<Response>(() => {}) })
    client.open()
    await sleep(20)
    client.close()
    expect(client.state.readyState).toBe(CLOSED)
  })

  it('a body that never ends and ignores the signal: the heartbeat replaces the connection', async () => {
    let calls = 0
    const fetch: FetchLike = async () => {
      calls++
      return new Response(new ReadableStream({ start: c => c.enqueue(new TextEncoder().encode('data: x\n\n')) }), { headers: streamHeaders() })
    }
    const client = createEventSource('http://127.0.0.1/silent', { fetch, heartbeatTimeout: 100, reconnect: { delay: 10, jitter: 0 } })
    client.open()
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2), { timeout: 2000 })
    client.close()
  })
})

describe('an onOpen that never settles', () => {
  it('loses to the heartbeat: the attempt is replaced after heartbeatTimeout', async () => {
    const key = uniqueKey()
    const { errors } = connect(server.current.route('forever', { key }), {
      heartbeatTimeout: 150,
      reconnect: { delay: 10, jitter: 0 },
      onOpen: () => new Promise<void>(() => {}),
    })
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(2), { timeout: 2000 })
    expect(errors.map(e => e.type)).toContain('heartbeat-timeout')
    expect(unhandled).toEqual([])
  })

  it('loses to close(): CLOSED, and the server sees the connection close', async () => {
    const key = uniqueKey()
    const { client } = connect(server.current.route('forever', { key }), { onOpen: () => new Promise<void>(() => {}) })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    client.close()
    expect(client.state.readyState).toBe(CLOSED)
    await server.current.waitForOpen(key, 0)
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })
})
