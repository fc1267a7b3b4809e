import { renderToString } from '@vue/server-renderer'
import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import { createSSRApp, defineComponent, effectScope, h, nextTick, ref, shallowRef, watch } from 'vue'
import { CLOSED, OPEN, useEventSource } from '../src/index'
import { sleep, uniqueKey, useTestServer } from './support/helpers'

const server = useTestServer()

/** Runs a composable in its own effect scope, as a store or a plain module would. */
function inScope<T>(setup: () => T): { result: T, stop: () => void } {
  const scope = effectScope()
  const result = scope.run(setup)!
  return { result, stop: () => scope.stop() }
}

describe('useEventSource in an effect scope (Node)', () => {
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
