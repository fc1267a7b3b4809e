// Tests here hold promises of docs/guide/recipes.md, docs/guide/reconnection.md and docs/guide/errors.md (listed in tests/fixtures/promises/).
import { describe, expect, it, vi } from 'vitest'
import { createEventSource } from '../../src/core/client'
import { EventSourceDataError, EventSourceError, EventSourceOptionError } from '../../src/core/errors'
import { CLOSED, CONNECTING, OPEN } from '../../src/core/types'
import { corpus } from '../fixtures/corpus'
import { connect, sleep, stageScript, streamOf, uniqueKey, useTestServer } from '../support/helpers'

const server = useTestServer()

describe('client: events', () => {
  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('delivers each event with its type, data and last event ID, in order', async () => {
    const key = uniqueKey()
    const { messages, client } = connect(server.current.route('events', { key, count: 3, hold: true }))
    await vi.waitFor(() => expect(messages).toHaveLength(3))
    expect(messages).toEqual([1, 2, 3].map(n => ({ event: 'message', data: `event ${n}`, raw: `event ${n}`, lastEventId: String(n) })))
    expect(client.state.readyState).toBe(OPEN)
    expect(client.state.lastEventId).toBe('3')
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('hands every event of a type to on() handlers, and none after the handler is removed', async () => {
    const key = uniqueKey()
    const { client } = connect(server.current.route('forever', { key, interval: 20 }))
    const seen: string[] = []
    const off = client.on('message', message => seen.push(message.lastEventId))
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(3))
    off()
    const count = seen.length
    await sleep(100)
    expect(seen).toHaveLength(count)
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => String(i + 1)))
  })

  it('a handler added or removed while a burst of one type is delivered takes effect from the next event', async () => {
    const body = 'event: tick\ndata: 1\n\nevent: tick\ndata: 2\n\nevent: tick\ndata: 3\n\n'
    const fetch = async (): Promise<Response> => new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    const client = createEventSource('http://127.0.0.1/burst', { fetch, reconnect: false })
    const seen: string[] = []
    const offA = client.on('tick', ({ data }) => {
      seen.push(`a${data}`)
      if (data === '1')
        client.on('tick', message => seen.push(`b${message.data}`))
      if (data === '2')
        offA()
    })
    client.open()
    await vi.waitFor(() => expect(seen).toHaveLength(4))
    expect(seen).toEqual(['a1', 'a2', 'b2', 'b3'])
    client.close()
  })

  // docs/guide/core.md: "returns `{ state, open, close, on, listen, subscribe }`; `listen(handler)` gets every
  // event of every type".
  it('returns state, open, close, on, listen and subscribe; listen() gets every event of every type, on() those of its own', async () => {
    const url = await stageScript(server.current.url, uniqueKey(), [streamOf('data: a\n\nevent: notice\ndata: b\n\nevent: update\ndata: c\n\n')])
    const client = createEventSource(url, { reconnect: false })
    expect(Object.keys(client).sort()).toEqual(['close', 'listen', 'on', 'open', 'state', 'subscribe'])
    const every: string[] = []
    const notices: string[] = []
    client.listen(message => every.push(`${message.event}: ${message.data}`))
    client.on('notice', message => notices.push(message.data))
    client.open()
    await vi.waitFor(() => expect(every).toHaveLength(3))
    expect(every).toEqual(['message: a', 'notice: b', 'update: c'])
    expect(notices).toEqual(['b'])
    client.close()
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('routes named events to their own handlers', async () => {
    const key = uniqueKey()
    const { client, messages } = connect(server.current.route('events', { key, count: 2, event: 'notice', hold: true }))
    const notices: string[] = []
    const plain: string[] = []
    client.on('notice', message => notices.push(message.data))
    client.on('message', message => plain.push(message.data))
    await vi.waitFor(() => expect(notices).toEqual(['event 1', 'event 2']))
    expect(plain).toEqual([])
    expect(messages.map(m => m.event)).toEqual(['notice', 'notice'])
  })

  // Promised in README.md, docs/guide/getting-started.md and docs/guide/api.md (tests/fixtures/promises/).
  it('parses JSON when asked, and reports bad JSON as a parse error while the stream goes on', async () => {
    const key = uniqueKey()
    const { messages, errors, client } = connect<unknown>(server.current.route('raw', { key, case: 'many-events' }), { parse: 'json', reconnect: false })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(messages.map(m => m.data)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(errors).toEqual([])

    const bad = connect<unknown>(server.current.route('events', { key: uniqueKey(), count: 2, hold: true }), { parse: 'json' })
    await vi.waitFor(() => expect(bad.errors).toHaveLength(2))
    expect(bad.errors[0]).toBeInstanceOf(EventSourceDataError)
    expect(bad.errors[0]).toMatchObject({ type: 'parse', event: 'message', raw: 'event 1', lastEventId: '1' })
    expect(bad.client.state.readyState).toBe(OPEN)
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('parses each event type with its own parser from a parse object; types without one keep their text', async () => {
    const key = uniqueKey()
    const client = createEventSource(server.current.route('guide', { key, interval: 10 }), {
      parse: { notice: raw => (JSON.parse(raw) as { n: number }).n, update: (raw, { event }) => `${event}:${raw.length}` },
    })
    const seen: unknown[] = []
    client.on('notice', message => seen.push(['notice', message.data]))
    client.on('update', message => seen.push(['update', message.data]))
    client.on('message', message => seen.push(['message', message.data]))
    client.open()
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(6))
    client.close()
    // the guide route sends message, notice, update in turn, with JSON data {"n":n,"kind":...}
    expect(seen.slice(0, 3)).toEqual([
      ['notice', 1],
      ['update', `update:${JSON.stringify({ n: 2, kind: 'update' }).length}`],
      ['message', JSON.stringify({ n: 3, kind: 'message' })],
    ])
  })

  it('a parse object whose entry is not a function is refused with a typed error naming it', () => {
    expect(() => createEventSource('/x', { parse: { tick: 'json' } as never })).toThrow(EventSourceOptionError)
    expect(() => createEventSource('/x', { parse: { tick: 'json' } as never })).toThrow(/parse\.tick/)
    expect(() => createEventSource('/x', { parse: [] as never })).toThrow(/parse/)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a handler that throws is reported as a handler error; the stream is neither closed nor reconnected', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(server.current.route('events', { key, count: 3, interval: 10, hold: true }))
    const seen: string[] = []
    client.on('message', (message) => {
      seen.push(message.data)
      if (message.lastEventId === '1')
        throw new Error('boom')
    })
    await vi.waitFor(() => expect(seen).toHaveLength(3))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ type: 'handler', lastEventId: '1' })
    expect((errors[0]!.cause as Error).message).toBe('boom')
    expect(client.state.readyState).toBe(OPEN)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  it('delivers exactly what the spec corpus says for every case, through a real socket in 3-byte pieces', async () => {
    for (const specCase of corpus) {
      const key = uniqueKey()
      const { messages, client } = connect(server.current.route('raw', { key, case: specCase.name, split: 3, interval: 0 }), { reconnect: false })
      await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
      expect(messages.map(m => [m.event, m.raw, m.lastEventId]), specCase.name).toEqual(specCase.events)
      expect(client.state.lastEventId, specCase.name).toBe(specCase.lastEventId)
    }
  })
})

describe('client: closing', () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('close() aborts the request: the server sees the socket close', async () => {
    const key = uniqueKey()
    const { client, messages } = connect(server.current.route('forever', { key, interval: 20 }))
    await vi.waitFor(() => expect(messages.length).toBeGreaterThan(0))
    expect(server.current.stats(key).open).toBe(1)
    client.close()
    expect(client.state.readyState).toBe(CLOSED)
    await server.current.waitForOpen(key, 0)
    expect(server.current.stats(key).clientClosed).toBe(1)
  })

  it('close() then open() never leaves two connections, and events of the replaced attempt are ignored', async () => {
    const key = uniqueKey()
    const { client, messages } = connect(server.current.route('forever', { key, interval: 10 }))
    client.close()
    client.open()
    client.open()
    await vi.waitFor(() => expect(messages.length).toBeGreaterThan(5))
    await server.current.waitForOpen(key, 1)
    await sleep(50)
    expect(server.current.stats(key).open).toBe(1)
    // One stream's events only: ids start at 1 and never repeat.
    const ids = messages.map(m => Number(m.lastEventId))
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1))
  })

  // Promised in README.md, docs/guide/getting-started.md and docs/guide/api.md (tests/fixtures/promises/).
  it('closes for good on the closeEvent: a control message, never parsed, that only its own handlers hear of', async () => {
    const key = uniqueKey()
    const closes: unknown[] = []
    const { client, messages, errors } = connect(server.current.route('close-event', { key }), { closeEvent: 'close', parse: raw => raw.toUpperCase() })
    client.on('close', message => closes.push(message.data))
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(messages.map(m => [m.event, m.data])).toEqual([['message', 'EVENT 1'], ['message', 'EVENT 2']])
    expect(closes).toEqual(['bye'])
    expect(errors).toEqual([])
    await server.current.waitForOpen(key, 0)
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })
})

describe('client: bad input', () => {
  it('an invalid URL gives an invalid-option error and CLOSED, without a request', async () => {
    const { client, errors } = connect('http://[::1')
    await vi.waitFor(() => expect(errors).toHaveLength(1))
    expect(errors[0]).toBeInstanceOf(EventSourceOptionError)
    expect(errors[0]).toMatchObject({ type: 'invalid-option', option: 'url' })
    expect(client.state.readyState).toBe(CLOSED)
  })

  it('a URL that is not http(s) is refused the same way', async () => {
    const { errors } = connect('ftp://127.0.0.1/stream')
    await vi.waitFor(() => expect(errors[0]).toMatchObject({ type: 'invalid-option', option: 'url' }))
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('bad options throw a typed error at once', () => {
    expect(() => createEventSource('/x', { reconnect: { delay: -5 } })).toThrow(EventSourceOptionError)
    expect(() => createEventSource('/x', { reconnect: { retries: 1.5 } })).toThrow(/reconnect.retries/)
    expect(() => createEventSource('/x', { heartbeatTimeout: Number.NaN })).toThrow(/heartbeatTimeout/)
    expect(() => createEventSource('/x', { parse: 'yaml' as 'json' })).toThrow(/parse/)
    expect(() => createEventSource('/x', { method: 'GET POST' })).toThrow(/method/)
    // fetch forbids these three and would fail every request as a network error
    expect(() => createEventSource('/x', { method: 'TRACE' })).toThrow(/method.*TRACE/)
    expect(() => createEventSource('/x', { method: 'connect' })).toThrow(EventSourceOptionError)
    expect(() => createEventSource('/x', { method: 'Track' })).toThrow(/method/)
    expect(() => createEventSource('/x', { lastEventId: 'a\nb' })).toThrow(/lastEventId/)
    expect(() => createEventSource('/x', { onMessage: 'nope' as unknown as () => void })).toThrow(/onMessage/)
    const client = createEventSource('/x')
    expect(() => client.on('message', 42 as unknown as () => void)).toThrow(EventSourceOptionError)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a body on a GET request is refused without a request', async () => {
    const key = uniqueKey()
    const { errors, client } = connect(server.current.route('echo', { key }), { body: { a: 1 } })
    await vi.waitFor(() => expect(errors[0]).toMatchObject({ type: 'invalid-option', option: 'body' }))
    expect(client.state.readyState).toBe(CLOSED)
    expect(server.current.stats(key).requests).toHaveLength(0)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a ReadableStream body (which could be sent only once, never on a reconnect) is refused without a request', async () => {
    const key = uniqueKey()
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"q":1}'))
        controller.close()
      },
    })
    const { errors, client } = connect(server.current.route('echo', { key }), { method: 'POST', body: stream as never }) // as a JavaScript caller could
    await vi.waitFor(() => expect(errors[0]).toMatchObject({ type: 'invalid-option', option: 'body' }))
    expect(errors[0]!.message).toMatch(/ReadableStream/)
    expect(client.state.readyState).toBe(CLOSED)
    expect(server.current.stats(key).requests).toHaveLength(0)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('every reported error is an EventSourceError with a type', async () => {
    const { errors } = connect(server.current.route('wrong-type', { key: uniqueKey() }))
    await vi.waitFor(() => expect(errors).toHaveLength(1))
    expect(errors[0]).toBeInstanceOf(EventSourceError)
    expect(errors[0]!.type).toBe('content-type')
  })
})

describe('client: state', () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('starts CLOSED, goes CONNECTING then OPEN', async () => {
    const client = createEventSource(server.current.route('events', { key: uniqueKey(), hold: true }))
    const states: number[] = []
    client.subscribe(state => states.push(state.readyState))
    expect(client.state.readyState).toBe(CLOSED)
    client.open()
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    client.close()
    expect(states).toEqual([CONNECTING, OPEN, CLOSED])
  })
})
