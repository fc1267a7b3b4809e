// Tests here hold promises of docs/guide/recipes.md and docs/guide/reconnection.md (listed in tests/fixtures/promises/).
// docs/spec.md: a stream that ends before its declared end is an `incomplete` error ([NON-SPEC]).
import { describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { CLOSED } from '../../src/core/types'
import { useEventSource } from '../../src/index'
import { connect, sleep, stageScript, streamOf, uniqueKey, useTestServer } from '../support/helpers'

// The rules: `parse` applies only to events someone reads (message events, named events with a handler
// or listed in `events`, every event with onMessage), never to the close event or the close data, which
// are control messages that end the stream; `closeData` matches a sentinel raw or JSON-encoded.

const server = useTestServer()

describe('parse applies to the events someone reads', () => {
  // Promised in README.md, docs/guide/getting-started.md and docs/guide/api.md (tests/fixtures/promises/).
  it('the Quick Start (parse: json, closeEvent: close) against a server whose close and ping events are not JSON: no error', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('data: {"n":1}\n\nevent: ping\ndata: not json\n\ndata: {"n":2}\n\nevent: close\ndata: bye now\n\n')])
    const scope = effectScope()
    const api = scope.run(() => useEventSource<{ n: number }>(url, { parse: 'json', closeEvent: 'close' }))!
    await vi.waitFor(() => expect(api.readyState.value).toBe(CLOSED))
    expect(api.error.value).toBeNull()
    expect(api.data.value).toEqual({ n: 2 })
    expect(api.event.value).toBe('message')
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(1)
    scope.stop()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a named type with a handler is parsed, and its bad data is reported', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('event: ping\ndata: not json\n\nevent: ping\ndata: [1]\n\n')])
    const { client, errors } = connect(url, { parse: 'json', reconnect: false })
    const pings: unknown[] = []
    client.on('ping', message => pings.push(message.data))
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(pings).toEqual([[1]])
    expect(errors.map(e => e.type)).toEqual(['parse'])
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('vue: a type listed in events is parsed for data; an unlisted one is not, and never errs', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('event: update\ndata: {"v":1}\n\nevent: other\ndata: x\n\n')])
    const scope = effectScope()
    const api = scope.run(() => useEventSource(url, { parse: 'json', events: ['update'], reconnect: false }))!
    await vi.waitFor(() => expect(api.readyState.value).toBe(CLOSED))
    expect(api.data.value).toEqual({ v: 1 })
    expect(api.error.value).toBeNull()
    scope.stop()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('vue: with onMessage, which reads every event, every event is parsed', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('event: other\ndata: x\n\n')])
    const scope = effectScope()
    const seen: unknown[] = []
    const api = scope.run(() => useEventSource(url, { parse: 'json', reconnect: false, onMessage: m => seen.push(m.data) }))!
    await vi.waitFor(() => expect(api.error.value?.type).toBe('parse'))
    expect(seen).toEqual([])
    scope.stop()
  })
})

describe('closeData: a data sentinel ends the stream', () => {
  for (const [name, sentinel] of [['raw', '[DONE]'], ['JSON-encoded, as better-sse and @fastify/sse send it', '"[DONE]"']] as const) {
    // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
    it(`${name}: the stream closes for good and the sentinel is not delivered`, async () => {
      const key = uniqueKey()
      const url = await stageScript(server.current.url, key, [streamOf(`data: {"token":"Hi"}\n\ndata: ${sentinel}\n\ndata: {"token":"late"}\n\n`)])
      const { client, messages, errors } = connect(url, { parse: 'json', closeData: '[DONE]' })
      await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
      expect(messages.map(m => m.data)).toEqual([{ token: 'Hi' }])
      expect(errors).toEqual([])
      await sleep(50)
      expect(server.current.stats(key).requests).toHaveLength(1)
    })
  }

  // Promised in README.md (tests/fixtures/promises/).
  it('the README\'s POST recipe (chat route, closeData) collects the answer and nothing else', async () => {
    const key = uniqueKey()
    const scope = effectScope()
    const words: string[] = []
    const api = scope.run(() => {
      const api = useEventSource<{ token: string }>(server.current.route('chat', { key }), { method: 'POST', body: { prompt: 'hello' }, parse: 'json', closeData: '[DONE]', immediate: false })
      api.on('message', ({ data }) => words.push(data.token))
      return api
    })!
    api.open()
    await vi.waitFor(() => expect(api.readyState.value).toBe(CLOSED))
    expect(words.join('')).toBe('You said: hello')
    expect(api.error.value).toBeNull()
    scope.stop()
  })

  it('rejects a closeData that is not a string', () => {
    expect(() => connect('http://127.0.0.1/x', { closeData: 5 as unknown as string })).toThrow(/closeData/)
  })
})

// Issue 28, part 3: a stream cut off before the end the app declared looked like a complete answer
// (CLOSED, error null, as after the user's Stop). README.md ("POST streams"), docs/guide/api.md
// (`closeData`, `closeEvent`, `done`), docs/guide/errors.md (`incomplete`).
describe('a declared end tells a complete stream from one cut off', () => {
  it('a POST answer that ends before [DONE] closes with an incomplete error and done false; a full one with done true', async () => {
    const key = uniqueKey()
    const options = { method: 'POST', body: { prompt: 'one two three four five six seven' }, parse: 'json' as const, closeData: '[DONE]' }
    const cut = connect<{ token: string }>(server.current.route('chat', { key, interval: 1, cutAfter: 3 }), options)
    await vi.waitFor(() => expect(cut.client.state.readyState).toBe(CLOSED))
    expect(cut.messages.map(m => m.data.token).join('')).toBe('You said: one')
    expect(cut.client.state.error?.type).toBe('incomplete')
    expect(cut.errors.map(e => e.type)).toEqual(['incomplete'])
    expect(cut.client.state.done).toBe(false)
    const full = connect<{ token: string }>(server.current.route('chat', { key, interval: 1 }), options)
    await vi.waitFor(() => expect(full.client.state.readyState).toBe(CLOSED))
    expect(full.client.state).toMatchObject({ error: null, done: true })
    await sleep(50)
    // Sent once each: a POST cut off is never sent again by itself.
    expect(server.current.stats(key).requests).toHaveLength(2)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('close() is neither done nor an error; open() starts again with done false', async () => {
    const key = uniqueKey()
    const chat = connect<{ token: string }>(server.current.route('chat', { key, interval: 20 }), { method: 'POST', body: { prompt: 'a b c d e f g h' }, parse: 'json', closeData: '[DONE]' })
    await vi.waitFor(() => expect(chat.messages.length).toBeGreaterThanOrEqual(1))
    chat.client.close()
    expect(chat.client.state).toMatchObject({ readyState: CLOSED, error: null, done: false })
    chat.client.open()
    await vi.waitFor(() => expect(chat.client.state.done).toBe(true), { timeout: 3000 })
    chat.client.open()
    expect(chat.client.state.done).toBe(false)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a GET stream cut off before its close event is a break: it reconnects, resumes, and is done at the close event', async () => {
    const key = uniqueKey()
    const stream = connect(server.current.route('close-event', { key, count: 6, per: 2 }), { closeEvent: 'close', reconnect: { delay: 10, jitter: 0 } })
    await vi.waitFor(() => expect(stream.client.state.done).toBe(true))
    expect(stream.messages.map(m => m.lastEventId)).toEqual(['1', '2', '3', '4', '5', '6'])
    expect(stream.errors.map(e => e.type)).toEqual(['incomplete', 'incomplete'])
    expect(stream.client.state).toMatchObject({ readyState: CLOSED, error: null })
    expect(server.current.stats(key).requests.map(r => r.headers['last-event-id'])).toEqual([undefined, '2', '4'])
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('without a declared end, a POST whose response ends is done, and a 204 is done', async () => {
    const key = uniqueKey()
    const post = connect(server.current.route('echo', { key }), { method: 'POST', body: 'x' })
    await vi.waitFor(() => expect(post.client.state.readyState).toBe(CLOSED))
    expect(post.client.state).toMatchObject({ error: null, done: true })
    const stopped = connect(server.current.route('no-content', { key }))
    await vi.waitFor(() => expect(stopped.client.state.readyState).toBe(CLOSED))
    expect(stopped.client.state).toMatchObject({ error: null, done: true })
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('vue: done is a ref, true once the answer is complete', async () => {
    const key = uniqueKey()
    const scope = effectScope()
    const api = scope.run(() => useEventSource<{ token: string }>(server.current.route('chat', { key, interval: 1 }), { method: 'POST', body: { prompt: 'hi' }, parse: 'json', closeData: '[DONE]' }))!
    expect(api.done.value).toBe(false)
    await vi.waitFor(() => expect(api.done.value).toBe(true))
    expect(api.status.value).toBe('CLOSED')
    scope.stop()
  })
})

// docs/guide/api.md (`closeData`, `closeEvent`): several sentinels, and a POST cut off before its close event.
describe('closeData and closeEvent, as the options page gives them', () => {
  it('closeData may list several sentinels: any of them closes the stream for good, done, and is not delivered', async () => {
    for (const sentinel of ['[DONE]', '[END]']) {
      const key = uniqueKey()
      const url = await stageScript(server.current.url, key, [streamOf(`data: a\n\ndata: ${sentinel}\n\ndata: late\n\n`)])
      const { client, messages, errors } = connect(url, { closeData: ['[DONE]', '[END]'] })
      await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
      expect(messages.map(m => m.data), sentinel).toEqual(['a'])
      expect(client.state, sentinel).toMatchObject({ error: null, done: true })
      expect(errors, sentinel).toEqual([])
    }
  })

  it('a POST cut off before its close event closes with an incomplete error, done false, and is never sent again', async () => {
    const key = uniqueKey()
    const { client, messages, errors } = connect(server.current.route('close-event', { key, count: 4, per: 2 }), { method: 'POST', body: 'q', closeEvent: 'close' })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(messages.map(m => m.data)).toEqual(['event 1', 'event 2'])
    expect(errors.map(e => e.type)).toEqual(['incomplete'])
    expect(client.state.done).toBe(false)
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })
})

// docs/guide/errors.md (`incomplete`): "closed for other methods, unless `reconnect` is set".
describe('a POST cut off, with reconnect set', () => {
  it('a POST cut off before [DONE] is sent again when reconnect is set, and is done at [DONE]', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('data: {"token":"a"}\n\n'), streamOf('data: {"token":"b"}\n\ndata: [DONE]\n\n')])
    const { client, messages, errors } = connect<{ token: string }>(url, { method: 'POST', body: { q: 1 }, parse: 'json', closeData: '[DONE]', reconnect: { delay: 10, jitter: 0 } })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(errors.map(e => e.type)).toEqual(['incomplete'])
    expect(client.state).toMatchObject({ error: null, done: true })
    expect(messages.map(m => m.data.token)).toEqual(['a', 'b'])
    expect(server.current.stats(key).requests.map(r => r.method)).toEqual(['POST', 'POST'])
  })
})
