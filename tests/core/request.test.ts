import type { SeenRequest } from '../server/index'
import { Buffer } from 'node:buffer'
import { describe, expect, it, vi } from 'vitest'
import { CLOSED } from '../../src/core/types'
import { connect, sleep, uniqueKey, useTestServer } from '../support/helpers'

const server = useTestServer()
const fast = { delay: 20, jitter: 0 }

function echoed(data: string): SeenRequest {
  return JSON.parse(data) as SeenRequest
}

describe('request', () => {
  it('sends Accept: text/event-stream and no cache', async () => {
    const { messages } = connect(server.current.route('echo', { key: uniqueKey(), hold: true }))
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    const { headers } = echoed(messages[0]!.data)
    expect(headers.accept).toBe('text/event-stream')
  })

  it('reads the headers getter before every attempt', async () => {
    const key = uniqueKey()
    let n = 0
    const { messages } = connect(server.current.route('echo', { key }), { headers: () => ({ 'x-attempt': String(++n) }), reconnect: fast })
    await vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(3))
    expect(messages.slice(0, 3).map(m => echoed(m.data).headers['x-attempt'])).toEqual(['1', '2', '3'])
  })

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

  it('a POST whose stream ends is complete: CLOSED, never sent again', async () => {
    const key = uniqueKey()
    const { client, messages } = connect<unknown>(server.current.route('chat', { key, interval: 1 }), { method: 'POST', body: { prompt: 'one two three' } })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(messages.map(m => m.data).at(-1)).toBe('[DONE]')
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(client.state.error).toBeNull()
  })

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

  it('an event ID with a control character, which no header can carry, closes with a typed error instead of failing forever', async () => {
    const key = uniqueKey()
    const { client, messages, errors } = connect(server.current.route('control-id', { key }), { reconnect: fast })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(messages.map(m => m.lastEventId)).toEqual(['a\u0001b'])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ type: 'invalid-option', option: 'lastEventId' })
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  it('an id: in a block without data still moves Last-Event-ID, and subscribers hear of it', async () => {
    const key = uniqueKey()
    const { client, states } = connect(server.current.route('raw', { key, case: 'id-only-block-at-end-commits' }), { reconnect: fast })
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(2))
    expect(states.some(s => s.lastEventId === '8')).toBe(true)
    expect(server.current.stats(key).requests[1]!.headers['last-event-id']).toBe('8')
    client.close()
  })

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
