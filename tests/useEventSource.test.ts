import { renderToString } from '@vue/server-renderer'
import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import { createSSRApp, defineComponent, effectScope, h, nextTick, ref, shallowRef, watch } from 'vue'
import { CLOSED, OPEN, useEventSource } from '../src/index'
import { sleep, stageScript, streamOf, uniqueKey, useTestServer } from './support/helpers'

const server = useTestServer()

/** Runs a composable in its own effect scope, as a store or a plain module would. */
function inScope<T>(setup: () => T): { result: T, stop: () => void } {
  const scope = effectScope()
  const result = scope.run(setup)!
  return { result, stop: () => scope.stop() }
}

describe('useEventSource in an effect scope (Node)', () => {
  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('connects at once, fills the refs, and closes the connection when the scope stops', async () => {
    const key = uniqueKey()
    const { result, stop } = inScope(() => useEventSource(server.current.route('forever', { key, interval: 20 })))
    await vi.waitFor(() => expect(result.readyState.value).toBe(OPEN))
    expect(result.status.value).toBe('OPEN')
    await vi.waitFor(() => expect(Number(result.lastEventId.value)).toBeGreaterThanOrEqual(2))
    expect(result.data.value).toMatch(/^event \d+$/)
    expect(result.event.value).toBe('message')
    stop()
    expect(result.readyState.value).toBe(CLOSED)
    await server.current.waitForOpen(key, 0)
    expect(server.current.stats(key).clientClosed).toBe(1)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('with immediate: false, waits for open()', async () => {
    const key = uniqueKey()
    const { result, stop } = inScope(() => useEventSource(server.current.route('forever', { key }), { immediate: false }))
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(0)
    expect(result.status.value).toBe('CLOSED')
    result.open()
    await vi.waitFor(() => expect(result.status.value).toBe('OPEN'))
    stop()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('updates data and event for the named types listed in events, and only those', async () => {
    const key = uniqueKey()
    const { result, stop } = inScope(() => useEventSource(server.current.route('events', { key, count: 2, event: 'notice', hold: true }), { events: ['notice'] }))
    await vi.waitFor(() => expect(result.data.value).toBe('event 2'))
    expect(result.event.value).toBe('notice')
    stop()

    const other = uniqueKey()
    const unlisted = inScope(() => useEventSource(server.current.route('events', { key: other, count: 2, event: 'update', hold: true })))
    await vi.waitFor(() => expect(unlisted.result.lastEventId.value).toBe('2'))
    expect(unlisted.result.data.value).toBeNull()
    unlisted.stop()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('on() handlers see every event, identical ones included, while refs may collapse them', async () => {
    const key = uniqueKey()
    const { result, stop } = inScope(() => useEventSource(server.current.route('raw', { key, case: 'one-event' }), { reconnect: { delay: 5, jitter: 0 } }))
    const handled: string[] = []
    result.on('message', message => handled.push(message.data))
    let watcherRuns = 0
    watch(result.data, () => watcherRuns++, { flush: 'sync' })
    await vi.waitFor(() => expect(handled.length).toBeGreaterThanOrEqual(4))
    expect(new Set(handled)).toEqual(new Set(['hello']))
    // The same payload again and again: a ref of it changes once.
    expect(watcherRuns).toBe(1)
    stop()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('with flush: microtask or frame, a burst updates the refs once while handlers see every event', async () => {
    for (const flush of ['sync', 'microtask', 'frame'] as const) {
      const key = uniqueKey()
      // The 50 events of this case arrive in one chunk.
      const { result, stop } = inScope(() => useEventSource(server.current.route('raw', { key, case: 'many-events' }), { flush, reconnect: false }))
      const handled: string[] = []
      result.on('message', message => handled.push(message.data))
      let dataChanges = 0
      watch(result.data, () => dataChanges++, { flush: 'sync' })
      await vi.waitFor(() => expect(result.status.value).toBe('CLOSED'))
      await vi.waitFor(() => expect(result.data.value).toBe('49'))
      expect(handled, flush).toEqual(Array.from({ length: 50 }, (_, i) => String(i)))
      expect(result.lastEventId.value).toBe('49')
      expect(dataChanges, flush).toBe(flush === 'sync' ? 50 : 1)
      stop()
    }
  })

  it('rejects an unknown flush mode', () => {
    expect(() => inScope(() => useEventSource(null, { flush: 'later' as 'sync' }))).toThrow(/flush/)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('removes on() handlers with the effect scope that called on()', async () => {
    const key = uniqueKey()
    const { result, stop } = inScope(() => useEventSource(server.current.route('forever', { key, interval: 15 })))
    const inner = effectScope()
    const seen: string[] = []
    inner.run(() => result.on('message', m => seen.push(m.lastEventId)))
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(2))
    inner.stop()
    const count = seen.length
    await sleep(80)
    expect(seen).toHaveLength(count)
    expect(result.readyState.value).toBe(OPEN)
    stop()
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('reconnects when the url, headers or token ref changes', async () => {
    const key = uniqueKey()
    const url = ref(server.current.route('echo', { key, hold: true, variant: 1 }))
    const headers = shallowRef<Record<string, string>>({ 'x-v': '1' })
    const token = ref('first')
    const { result, stop } = inScope(() => useEventSource(url, { headers, token }))
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(1))
    url.value = server.current.route('echo', { key, hold: true, variant: 2 })
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2))
    headers.value = { 'x-v': '2' }
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(3))
    token.value = 'second'
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(4))
    const requests = server.current.stats(key).requests
    expect(requests.map(r => [new URL(r.url, 'http://x').searchParams.get('variant'), r.headers['x-v'], r.headers.authorization])).toEqual([
      ['1', '1', 'Bearer first'],
      ['2', '1', 'Bearer first'],
      ['2', '2', 'Bearer first'],
      ['2', '2', 'Bearer second'],
    ])
    await server.current.waitForOpen(key, 1)
    expect(result.status.value).toBe('OPEN')
    stop()
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('setting a new body and calling open() in the same tick sends one request, not two', async () => {
    const key = uniqueKey()
    const body = shallowRef<{ prompt: string } | null>(null)
    const { result, stop } = inScope(() => useEventSource(server.current.route('chat', { key, interval: 1 }), { method: 'POST', body, immediate: false }))
    body.value = { prompt: 'first' }
    result.open()
    await vi.waitFor(() => expect(result.data.value).toBe('[DONE]'))
    await sleep(50)
    expect(server.current.stats(key).requests.map(r => JSON.parse(r.body).prompt)).toEqual(['first'])
    body.value = { prompt: 'second' }
    result.open()
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2))
    await sleep(100)
    expect(server.current.stats(key).requests.map(r => JSON.parse(r.body).prompt)).toEqual(['first', 'second'])
    stop()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a null url means no connection; setting one connects', async () => {
    const key = uniqueKey()
    const url = ref<string | null>(null)
    const { result, stop } = inScope(() => useEventSource(url))
    await sleep(30)
    expect(result.status.value).toBe('CLOSED')
    url.value = server.current.route('forever', { key })
    await vi.waitFor(() => expect(result.status.value).toBe('OPEN'))
    url.value = null
    await vi.waitFor(() => expect(result.status.value).toBe('CLOSED'))
    await server.current.waitForOpen(key, 0)
    stop()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('does not reconnect on a change after close()', async () => {
    const key = uniqueKey()
    const url = ref(server.current.route('forever', { key }))
    const { result, stop } = inScope(() => useEventSource(url))
    await vi.waitFor(() => expect(result.status.value).toBe('OPEN'))
    result.close()
    url.value = server.current.route('forever', { key, variant: 'changed' })
    await nextTick()
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(1)
    stop()
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('types on() per event from an event map', () => {
    interface Notice { text: string }
    const { result, stop } = inScope(() => useEventSource<unknown, { notice: Notice }>(null, { immediate: false, parse: 'json' }))
    result.on('notice', (message) => {
      expectTypeOf(message.data).toEqualTypeOf<Notice>()
      expectTypeOf(message.event).toEqualTypeOf<'notice'>()
    })
    result.on('message', (message) => {
      expectTypeOf(message.data).toEqualTypeOf<unknown>()
    })
    // @ts-expect-error with an event map, on() takes its event types and 'message' only
    result.on('other', () => {})
    expectTypeOf(result.data.value).toEqualTypeOf<unknown>()
    stop()
  })
})

describe('server-side rendering', () => {
  // Promised in README.md and docs/guide/getting-started.md (tests/fixtures/promises/).
  it('never opens a connection while rendering on the server, and stays CLOSED', async () => {
    const key = uniqueKey()
    let seenStatus = ''
    const Widget = defineComponent({
      setup() {
        const { status } = useEventSource(server.current.route('forever', { key }))
        seenStatus = status.value
        return () => h('p', status.value)
      },
    })
    const html = await renderToString(createSSRApp(Widget))
    expect(html).toBe('<p>CLOSED</p>')
    expect(seenStatus).toBe('CLOSED')
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(0)
  })
})

// README.md ("POST streams") and docs/guide/api.md (Options, `onError`, `flush`): the composable's side of
// a POST's inputs, of errors and of the refs' default flush.
describe('useEventSource, as the options page gives it', () => {
  it('a POST whose url changes is not sent again; the next open() sends it to the new url', async () => {
    const key = uniqueKey()
    const url = ref(server.current.route('echo', { key, hold: true, variant: 1 }))
    const { result, stop } = inScope(() => useEventSource(url, { method: 'POST', body: { q: 1 } }))
    await vi.waitFor(() => expect(result.status.value).toBe('OPEN'))
    url.value = server.current.route('echo', { key, hold: true, variant: 2 })
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(result.status.value).toBe('OPEN')
    result.open()
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2))
    expect(server.current.stats(key).requests.map(r => new URL(r.url, server.current.url).searchParams.get('variant'))).toEqual(['1', '2'])
    stop()
  })

  it('onError hears every error once: a connection error retried, one not, a parse error and a handler error', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf('data: 1\n\ndata: not json\n\n'), { status: 503 }, { status: 404 }])
    const heard: string[] = []
    const { result, stop } = inScope(() => useEventSource<number>(url, {
      parse: 'json',
      reconnect: { delay: 10, jitter: 0 },
      onError: error => heard.push(error.type === 'http-status' ? `http-status ${(error as { status?: number }).status}` : error.type),
    }))
    result.on('message', () => {
      throw new Error('a bug in the app')
    })
    await vi.waitFor(() => expect(heard).toHaveLength(4))
    expect(heard).toEqual(['handler', 'parse', 'http-status 503', 'http-status 404'])
    expect(result.status.value).toBe('CLOSED')
    stop()
  })

  it('by default (flush: microtask), a burst in one chunk updates data once while on() sees every event; flush: sync follows each', async () => {
    // The 50 events of this case arrive in one chunk.
    const changes: Record<string, number> = {}
    const heard: Record<string, number> = {}
    for (const flush of [undefined, 'sync'] as const) {
      const key = uniqueKey()
      const { result, stop } = inScope(() => useEventSource(server.current.route('raw', { key, case: 'many-events' }), { reconnect: false, ...(flush && { flush }) }))
      const mode = flush ?? 'default'
      changes[mode] = 0
      heard[mode] = 0
      watch(result.data, () => changes[mode]!++, { flush: 'sync' })
      result.on('message', () => heard[mode]!++)
      await vi.waitFor(() => expect(result.status.value).toBe('CLOSED'))
      await vi.waitFor(() => expect(result.data.value).toBe('49'))
      stop()
    }
    expect(heard).toEqual({ default: 50, sync: 50 })
    expect(changes).toEqual({ default: 1, sync: 50 })
  })
})

// docs/guide/recipes.md ("Bearer token with refresh", "A chat") and docs/guide/errors.md (options wrong in themselves).
describe('useEventSource, as the recipes and the errors page give it', () => {
  it('the chat recipe: typing sends nothing, open() sends one POST with the prompt as it is, and a question asked while an answer streams stops that answer and asks the new one', async () => {
    const key = uniqueKey()
    const input = ref('')
    const { result, stop } = inScope(() => useEventSource<{ token: string }>(server.current.route('chat', { key, interval: 30 }), {
      method: 'POST',
      body: () => ({ prompt: input.value }),
      immediate: false,
      parse: 'json',
      closeData: '[DONE]',
    }))
    const answer: string[] = []
    result.on('message', ({ data }) => answer.push(data.token))
    input.value = 'one two three four five six seven eight'
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(0)
    result.open()
    await vi.waitFor(() => expect(answer.length).toBeGreaterThanOrEqual(2))
    input.value = 'again'
    await sleep(30)
    expect(server.current.stats(key).requests).toHaveLength(1)
    answer.length = 0
    result.open()
    await vi.waitFor(() => expect(result.done.value).toBe(true))
    expect(answer.join('')).toBe('You said: again')
    expect(result.error.value).toBeNull()
    const requests = server.current.stats(key).requests
    expect(requests.map(r => JSON.parse(r.body).prompt)).toEqual(['one two three four five six seven eight', 'again'])
    // The first answer was cut short by the client, not finished by the server.
    expect(server.current.stats(key).clientClosed).toBe(1)
    stop()
  })

  it('a ref token is not refreshed: a 401 closes the stream with an EventSourceHttpError carrying the status, after one request', async () => {
    const key = uniqueKey()
    const token = ref('revoked')
    const { result, stop } = inScope(() => useEventSource(server.current.route('authed', { key }), { token, reconnect: { delay: 10, jitter: 0 } }))
    await vi.waitFor(() => expect(result.status.value).toBe('CLOSED'))
    await sleep(60)
    expect(result.error.value).toMatchObject({ name: 'EventSourceHttpError', type: 'http-status', status: 401 })
    expect(server.current.stats(key).requests).toHaveLength(1)
    stop()
  })

  it('options wrong in themselves throw an EventSourceOptionError naming them when useEventSource is called', () => {
    const thrown = (options: object): unknown => {
      try {
        inScope(() => useEventSource(server.current.route('forever', { key: uniqueKey() }), options as never)).stop()
      }
      catch (error) {
        return error
      }
      return 'nothing thrown'
    }
    for (const [options, option] of [[{ reconnect: { delay: -1 } }, 'reconnect.delay'], [{ onMessage: 'log' }, 'onMessage'], [{ parse: 'yaml' }, 'parse']] as const)
      expect(thrown(options)).toMatchObject({ name: 'EventSourceOptionError', type: 'invalid-option', option })
  })
})

// docs/guide/api.md ("`url` ... a change reconnects a GET"): a new URL is another stream, started from the
// lastEventId option as a new composable would, never with the position of the URL before it.
describe('a new URL is another stream', () => {
  it('starts afresh, without the Last-Event-ID of the URL before; new headers resume', async () => {
    const key = uniqueKey()
    const url = ref(server.current.route('events', { key, count: 100_000, interval: 10, hold: true, variant: 1 }))
    const headers = ref({ 'x-v': '1' })
    const { result, stop } = inScope(() => useEventSource(url, { headers }))
    await vi.waitFor(() => expect(Number(result.lastEventId.value)).toBeGreaterThanOrEqual(3))
    headers.value = { 'x-v': '2' }
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2))
    url.value = server.current.route('events', { key, count: 100_000, interval: 10, hold: true, variant: 2 })
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(3))
    const sent = server.current.stats(key).requests.map(r => r.headers['last-event-id'])
    expect(sent[0]).toBeUndefined()
    expect(Number(sent[1])).toBeGreaterThanOrEqual(3)
    expect(sent[2]).toBeUndefined()
    stop()
  })
})
