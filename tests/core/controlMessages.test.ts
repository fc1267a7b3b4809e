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
