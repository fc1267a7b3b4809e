// Tests here hold promises of docs/guide/errors.md (listed in tests/fixtures/promises/).
/**
 * The VueUse-signature `useEventSource` (vue-event-source/vueuse) in Node against the real scenario
 * server: VueUse 14.4's return values and options, with headers and tokens added; and the main entry
 * refusing VueUse-shaped calls. docs/migrating.md ("From VueUse's `useEventSource`") promises these.
 */
import type { EffectScope } from 'vue'
import { renderToString } from '@vue/server-renderer'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSSRApp, effectScope, h, nextTick, ref, watch } from 'vue'
import { EventSourceOptionError } from '../../src/core/index'
import { EventSource } from '../../src/eventsource/index'
import { useEventSource as ours, useSharedEventSource } from '../../src/index'
import { useEventSource } from '../../src/vueuse/index'
import { sleep, uniqueKey, useTestServer } from '../support/helpers'

const server = useTestServer()
const scopes: EffectScope[] = []
afterEach(() => {
  for (const scope of scopes.splice(0))
    scope.stop()
})

function inScope<T>(run: () => T): T {
  const scope = effectScope()
  scopes.push(scope)
  return scope.run(run)!
}

describe('vue-event-source/vueuse: VueUse 14\'s useEventSource', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('returns VueUse\'s shape: event null for plain messages, lastEventId null at first, eventSource our EventSource', async () => {
    const key = uniqueKey()
    const result = inScope(() => useEventSource(server.current.route('events', { key, count: 2, hold: true }), [], { serializer: { read: raw => ({ raw }) } }))
    expect(Object.keys(result).sort()).toEqual(['close', 'data', 'error', 'event', 'eventSource', 'lastEventId', 'open', 'status'])
    expect(result.lastEventId.value).toBeNull()
    expect(result.data.value).toBeNull()
    expect(result.eventSource.value).toBeInstanceOf(EventSource)
    await vi.waitFor(() => expect(result.lastEventId.value).toBe('2'))
    expect(result.event.value).toBeNull()
    expect(result.data.value).toEqual({ raw: 'event 2' })
    expect(result.status.value).toBe('OPEN')
    result.close()
    expect(result.eventSource.value).toBeNull()
    expect(result.status.value).toBe('CLOSED')
    await server.current.waitForOpen(key, 0)
  })

  it('named events in the second argument set event; headers and a token go with the request', async () => {
    const key = uniqueKey()
    const result = inScope(() => useEventSource(server.current.route('echo', { key, event: 'seen', hold: true }), ['seen'] as const, { headers: { 'X-App': 'vue' }, token: 'tok' }))
    await vi.waitFor(() => expect(result.event.value).toBe('seen'))
    const seen = JSON.parse(result.data.value as string) as { headers: Record<string, string> }
    expect(seen.headers['x-app']).toBe('vue')
    expect(seen.headers.authorization).toBe('Bearer tok')
  })

  it('status follows readyState: CLOSED before anything connects with immediate: false (VueUse says CONNECTING)', () => {
    const result = inScope(() => useEventSource(server.current.route('events', { key: uniqueKey() }), [], { immediate: false }))
    expect(result.status.value).toBe('CLOSED')
    expect(result.eventSource.value).toBeNull()
  })

  it('without autoReconnect, a 503 fails the stream, and a stream the server ends resumes', async () => {
    const failing = uniqueKey()
    const failed = inScope(() => useEventSource(server.current.route('status', { key: failing, code: 503 })))
    await vi.waitFor(() => expect(failed.error.value).not.toBeNull())
    expect(failed.status.value).toBe('CLOSED')
    const ending = uniqueKey()
    const resumed = inScope(() => useEventSource(server.current.route('events', { key: ending, count: 4, per: 2, retry: 10 })))
    await vi.waitFor(() => expect(resumed.lastEventId.value).toBe('4'))
    expect(server.current.stats(ending).requests[1]!.headers['last-event-id']).toBe('2')
    await sleep(300)
    expect(server.current.stats(failing).requests).toHaveLength(1)
  })

  it('with immediate: false, open() connects, and close() ends the connection', async () => {
    const key = uniqueKey()
    const result = inScope(() => useEventSource(server.current.route('events', { key, count: 1, hold: true }), [], { immediate: false }))
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(0)
    result.open()
    await vi.waitFor(() => expect(result.status.value).toBe('OPEN'))
    result.close()
    await server.current.waitForOpen(key, 0)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  it('status is CONNECTING while a stream the server ended reconnects (VueUse says CLOSED)', async () => {
    const key = uniqueKey()
    const statuses: string[] = []
    const result = inScope(() => {
      const made = useEventSource(server.current.route('events', { key, count: 4, per: 2, retry: 100 }))
      watch(made.status, status => statuses.push(status), { flush: 'sync' })
      return made
    })
    await vi.waitFor(() => expect(result.lastEventId.value).toBe('4'))
    expect(statuses.slice(0, 3)).toEqual(['OPEN', 'CONNECTING', 'OPEN'])
    expect(statuses).not.toContain('CLOSED')
  })

  it('method, body and withCredentials go with the request', async () => {
    const key = uniqueKey()
    const inits: RequestInit[] = []
    const result = inScope(() => useEventSource(server.current.route('echo', { key, hold: true }), [], {
      method: 'POST',
      body: { q: 1 },
      withCredentials: true,
      fetch: (url, init) => {
        inits.push(init)
        return globalThis.fetch(url, init)
      },
    }))
    await vi.waitFor(() => expect(result.data.value).not.toBeNull())
    const seen = JSON.parse(result.data.value as string) as { method: string, body: string }
    expect([seen.method, seen.body]).toEqual(['POST', '{"q":1}'])
    expect(inits.map(init => init.credentials)).toEqual(['include'])
  })

  it('never connects while rendering on the server, and renders CLOSED', async () => {
    const key = uniqueKey()
    const app = createSSRApp({
      setup() {
        const { status } = useEventSource(server.current.route('forever', { key }))
        return () => h('p', status.value)
      },
    })
    expect(await renderToString(app)).toBe('<p>CLOSED</p>')
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(0)
  })

  it('autoReconnect: { retries: 3 } makes three reconnection attempts, then calls onFailed once', async () => {
    const key = uniqueKey()
    const onFailed = vi.fn()
    const result = inScope(() => useEventSource(server.current.route('status', { key, code: 503 }), [], { autoReconnect: { retries: 3, delay: 50, onFailed } }))
    await vi.waitFor(() => expect(onFailed).toHaveBeenCalled(), { timeout: 3000 })
    await sleep(300)
    expect(onFailed).toHaveBeenCalledOnce()
    expect(server.current.stats(key).requests).toHaveLength(4)
    expect(result.status.value).toBe('CLOSED')
  })

  it('a new URL reconnects (autoConnect), and the scope\'s end closes the connection', async () => {
    const first = uniqueKey()
    const second = uniqueKey()
    const url = ref(server.current.route('events', { key: first, count: 1, hold: true }))
    const scope = effectScope()
    const result = scope.run(() => useEventSource(url))!
    await server.current.waitForOpen(first, 1)
    url.value = server.current.route('events', { key: second, count: 1, hold: true })
    await nextTick()
    await server.current.waitForOpen(second, 1)
    await server.current.waitForOpen(first, 0)
    scope.stop()
    await server.current.waitForOpen(second, 0)
    expect(result.eventSource.value).toBeNull()
  })
})

describe('the main useEventSource refuses VueUse-shaped calls', () => {
  const url = 'http://127.0.0.1:9/never'
  it.each([
    ['an array as second argument', ['notice'], 'options', '{ events: [...] }'],
    ['autoReconnect', { autoReconnect: true }, 'autoReconnect', '`reconnect`'],
    ['autoConnect', { autoConnect: false }, 'autoConnect', 'nothing (a new reactive URL reconnects by itself)'],
    ['serializer', { serializer: { read: JSON.parse } }, 'serializer', '`parse`'],
  ])('%s throws an EventSourceOptionError naming the option and the /vueuse entry, and connects nothing', (_, options, option, instead) => {
    const fetch = vi.fn()
    for (const composable of [ours, useSharedEventSource] as ((url: string, options: never) => unknown)[]) {
      let thrown: unknown
      inScope(() => {
        try {
          composable(url, (Array.isArray(options) ? options : { ...options, fetch }) as never)
        }
        catch (error) {
          thrown = error
        }
      })
      expect(thrown).toBeInstanceOf(EventSourceOptionError)
      expect((thrown as EventSourceOptionError).option).toBe(option)
      expect((thrown as Error).message).toContain('vue-event-source/vueuse')
      expect((thrown as Error).message).toContain(instead)
    }
    expect(fetch).not.toHaveBeenCalled()
  })
})
