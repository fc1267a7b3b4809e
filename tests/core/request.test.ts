// Tests here hold promises of docs/guide/recipes.md (listed in tests/fixtures/promises/).
// docs/index.md, the home page, quotes promises held here too (tests/fixtures/promises/home.ts).
import type { SeenRequest } from '../server/index'
import { Buffer } from 'node:buffer'
import { describe, expect, it, vi } from 'vitest'
import { LAST_EVENT_ID_LIMIT } from '../../src/core/request'
import { CLOSED } from '../../src/core/types'
import { connect, sleep, stageScript, streamOf, uniqueKey, useTestServer } from '../support/helpers'

const server = useTestServer()
const fast = { delay: 20, jitter: 0 }

function echoed(data: string): SeenRequest {
  return JSON.parse(data) as SeenRequest
}

// docs/deploying.md: an id no request can carry is a `last-event-id` error. docs/spec.md: a request that is
// not GET is never re-sent by itself ([NON-SPEC]).
// docs/guide/core.md: options take plain values or getters (url, headers, body), read before every attempt.
describe('request', () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('sends Accept: text/event-stream and no cache', async () => {
    const { messages } = connect(server.current.route('echo', { key: uniqueKey(), hold: true }))
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    const { headers } = echoed(messages[0]!.data)
    expect(headers.accept).toBe('text/event-stream')
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('reads the headers getter before every attempt', async () => {
    const key = uniqueKey()
    let n = 0
    const { messages } = connect(server.current.route('echo', { key }), { headers: () => ({ 'x-attempt': String(++n) }), reconnect: fast })
    await vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(3))
    expect(messages.slice(0, 3).map(m => echoed(m.data).headers['x-attempt'])).toEqual(['1', '2', '3'])
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('sends a plain-object body as JSON with its content type, and a string body as is', async () => {
    const json = connect(server.current.route('echo', { key: uniqueKey() }), { method: 'POST', body: { prompt: 'hi', n: [1, 2] } })
    await vi.waitFor(() => expect(json.messages).toHaveLength(1))
    const sent = echoed(json.messages[0]!.data)
    expect(sent.method).toBe('POST')
    expect(sent.headers['content-type']).toBe('application/json')
    expect(JSON.parse(sent.body)).toEqual({ prompt: 'hi', n: [1, 2] })

    const text = connect(server.current.route('echo', { key: uniqueKey() }), { method: 'put', body: 'raw text', headers: { 'content-type': 'text/plain' } })
    await vi.waitFor(() => expect(text.messages).toHaveLength(1))
    expect(echoed(text.messages[0]!.data)).toMatchObject({ method: 'PUT', body: 'raw text', headers: { 'content-type': 'text/plain' } })
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('a POST whose stream ends is complete: CLOSED, never sent again', async () => {
    const key = uniqueKey()
    const { client, messages } = connect<unknown>(server.current.route('chat', { key, interval: 1 }), { method: 'POST', body: { prompt: 'one two three' } })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(messages.map(m => m.data).at(-1)).toBe('[DONE]')
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(client.state.error).toBeNull()
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('a POST that fails is not re-sent unless reconnect is set explicitly', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(server.current.route('status', { key, code: 503 }), { method: 'POST', body: {} })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(errors.map(e => e.type)).toEqual(['http-status'])

    const retried = uniqueKey()
    const { messages } = connect(server.current.route('flaky', { key: retried, fails: 1, count: 1, hold: true }), { method: 'POST', body: {}, reconnect: fast })
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    expect(server.current.stats(retried).requests.map(r => r.method)).toEqual(['POST', 'POST'])
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('sends the lastEventId option as Last-Event-ID on the first request', async () => {
    const key = uniqueKey()
    const { messages } = connect(server.current.route('events', { key, count: 7, hold: true }), { lastEventId: '5' })
    await vi.waitFor(() => expect(messages).toHaveLength(2))
    expect(server.current.stats(key).requests[0]!.headers['last-event-id']).toBe('5')
    expect(messages.map(m => m.lastEventId)).toEqual(['6', '7'])
  })

  it('sends a Unicode last event ID as its UTF-8 bytes, as browsers do, instead of failing every request', async () => {
    const key = uniqueKey()
    const { messages } = connect(server.current.route('raw', { key, case: 'unicode-id' }), { reconnect: fast })
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(2))
    expect(messages[0]!.lastEventId).toBe('é€😀')
    const header = server.current.stats(key).requests[1]!.headers['last-event-id'] as string
    expect(Buffer.from(header, 'latin1').toString('utf8')).toBe('é€😀')
  })

  it('an event ID with a control character, which no header can carry, is not sent: a last-event-id error, and the stream resumes without it', async () => {
    const key = uniqueKey()
    const { client, messages, errors } = connect(server.current.route('control-id', { key }), { reconnect: fast })
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(3))
    expect(messages[0]!.lastEventId).toBe('a\u0001b')
    expect(errors[0]).toMatchObject({ type: 'last-event-id' })
    expect(errors[0]!.message).toContain('control character')
    expect(server.current.stats(key).requests.map(r => r.headers['last-event-id'])).not.toContain('a\u0001b')
    expect(client.state.readyState).not.toBe(CLOSED)
  })

  it(`an event ID over LAST_EVENT_ID_LIMIT bytes is not sent: a last-event-id error, and the stream stays recoverable`, async () => {
    const key = uniqueKey()
    const huge = 'x'.repeat(100_000)
    const url = await stageScript(server.current.url, key, [streamOf(`id: ${huge}\ndata: a\n\n`), streamOf('id: 2\ndata: b\n\n'), { status: 204 }, streamOf(`id: ${huge}\ndata: c\n\n`), streamOf('id: 4\ndata: d\n\n')])
    const { client, messages, errors } = connect(url, { reconnect: fast })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(messages.map(m => m.data)).toEqual(['a', 'b'])
    const requests = server.current.stats(key).requests
    expect(requests[1]!.headers['last-event-id']).toBeUndefined()
    expect(errors.map(e => e.type)).toEqual(['last-event-id'])
    expect(errors[0]!.message).toContain(`over ${LAST_EVENT_ID_LIMIT} bytes`)
    expect(errors[0]!.message).not.toContain('xxxx')
    // open() again is no trap either.
    client.open()
    await vi.waitFor(() => expect(messages.map(m => m.data)).toEqual(['a', 'b', 'c', 'd']))
    expect(server.current.stats(key).requests.every(r => (r.headers['last-event-id']?.length ?? 0) <= LAST_EVENT_ID_LIMIT)).toBe(true)
  })

  it('an event ID of exactly LAST_EVENT_ID_LIMIT bytes is sent', async () => {
    const key = uniqueKey()
    const id = 'é'.repeat(LAST_EVENT_ID_LIMIT / 2)
    const url = await stageScript(server.current.url, key, [streamOf(`id: ${id}\ndata: a\n\n`), streamOf('data: b\n\n')])
    const { messages, errors } = connect(url, { reconnect: fast })
    await vi.waitFor(() => expect(messages).toHaveLength(2))
    expect(Buffer.from(server.current.stats(key).requests[1]!.headers['last-event-id'] as string, 'latin1').toString('utf8')).toBe(id)
    expect(errors).toEqual([])
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('an id: in a block without data still moves Last-Event-ID, and subscribers hear of it', async () => {
    const key = uniqueKey()
    const { client, states } = connect(server.current.route('raw', { key, case: 'id-only-block-at-end-commits' }), { reconnect: fast })
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(2))
    expect(states.some(s => s.lastEventId === '8')).toBe(true)
    expect(server.current.stats(key).requests[1]!.headers['last-event-id']).toBe('8')
    client.close()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('uses the fetch it is given', async () => {
    const key = uniqueKey()
    const seen: string[] = []
    const { messages } = connect(server.current.route('events', { key, count: 1, hold: true }), {
      fetch: (input, init) => {
        seen.push(input)
        return fetch(input, init)
      },
    })
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    expect(seen).toEqual([server.current.route('events', { key, count: 1, hold: true })])
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('calls onOpen with the response before any event, and closes with open-rejected when it throws', async () => {
    const order: string[] = []
    const ok = connect(server.current.route('events', { key: uniqueKey(), count: 1, hold: true }), {
      onOpen: async (response) => {
        await sleep(20)
        order.push(`open ${response.status}`)
      },
      onMessage: m => order.push(m.data),
    })
    await vi.waitFor(() => expect(ok.messages).toHaveLength(1))
    expect(order).toEqual(['open 200', 'event 1'])

    const key = uniqueKey()
    const rejected = connect(server.current.route('events', { key, count: 1, hold: true }), {
      onOpen: () => {
        throw new Error('not for me')
      },
    })
    await vi.waitFor(() => expect(rejected.client.state.readyState).toBe(CLOSED))
    expect(rejected.errors[0]).toMatchObject({ type: 'open-rejected' })
    expect(rejected.messages).toEqual([])
    await server.current.waitForOpen(key, 0)
  })
})

// docs/guide/api.md (Options): what each request sends, and when a reactive input is read.
describe('request: the options page', () => {
  it('keeps an Accept header the caller sets', async () => {
    const { messages } = connect(server.current.route('echo', { key: uniqueKey(), hold: true }), { headers: { Accept: 'text/event-stream, application/json' } })
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    expect(echoed(messages[0]!.data).headers.accept).toBe('text/event-stream, application/json')
  })

  it('sends an array body as JSON with its content type, as a plain object is', async () => {
    const { messages } = connect(server.current.route('echo', { key: uniqueKey() }), { method: 'POST', body: [1, { a: 2 }] })
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    const sent = echoed(messages[0]!.data)
    expect(sent.headers['content-type']).toBe('application/json')
    expect(JSON.parse(sent.body)).toEqual([1, { a: 2 }])
  })

  it('lastEventIdParam sends the last event ID in the query too, beside the header', async () => {
    const key = uniqueKey()
    const { messages } = connect(server.current.route('events', { key, count: 2, per: 1 }), { lastEventIdParam: 'resumeFrom', reconnect: fast })
    await vi.waitFor(() => expect(messages).toHaveLength(2))
    const resumed = server.current.stats(key).requests[1]!
    expect(resumed.headers['last-event-id']).toBe('1')
    expect(new URL(resumed.url, server.current.url).searchParams.get('resumeFrom')).toBe('1')
    expect(new URL(server.current.stats(key).requests[0]!.url, server.current.url).searchParams.has('resumeFrom')).toBe(false)
  })

  it('a GET reads its url getter before every attempt', async () => {
    const key = uniqueKey()
    let reads = 0
    connect(() => server.current.route('echo', { key, variant: ++reads }), { reconnect: fast })
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(3))
    expect(server.current.stats(key).requests.slice(0, 3).map(r => new URL(r.url, server.current.url).searchParams.get('variant'))).toEqual(['1', '2', '3'])
  })

  it('a POST retried (reconnect set) sends the url, headers and body it sent first; only the token is read afresh', async () => {
    const key = uniqueKey()
    const reads = { url: 0, headers: 0, body: 0, token: 0 }
    const { messages } = connect(() => server.current.route('flaky', { key, fails: 1, count: 1, hold: true, variant: ++reads.url }), {
      method: 'POST',
      headers: () => ({ 'x-read': String(++reads.headers) }),
      body: () => ({ read: ++reads.body }),
      token: () => `t${++reads.token}`,
      reconnect: fast,
    })
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    const sent = server.current.stats(key).requests.map(r => [new URL(r.url, server.current.url).searchParams.get('variant'), r.headers['x-read'], JSON.parse(r.body).read, r.headers.authorization])
    expect(sent).toEqual([['1', '1', 1, 'Bearer t1'], ['1', '1', 1, 'Bearer t2']])
    expect(reads).toEqual({ url: 1, headers: 1, body: 1, token: 2 })
  })
})

// docs/guide/reconnection.md and docs/guide/errors.md: an id no request can carry is "a control character,
// or over 4096 UTF-8 bytes" (the tests above send one of each, and one of exactly the limit).
describe('request: the longest Last-Event-ID', () => {
  it('the limit of a Last-Event-ID is 4096 UTF-8 bytes', () => {
    expect(LAST_EVENT_ID_LIMIT).toBe(4096)
  })
})
