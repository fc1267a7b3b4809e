/**
 * The VueUse-signature `useEventSource` (vue-event-source/vueuse) in Node against the real scenario
 * server: VueUse 14.4's return values and options, with headers and tokens added; and the main entry
 * refusing VueUse-shaped calls.
 */
import type { EffectScope } from 'vue'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
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
    ['an array as second argument', ['notice'], 'options'],
    ['autoReconnect', { autoReconnect: true }, 'autoReconnect'],
    ['autoConnect', { autoConnect: false }, 'autoConnect'],
    ['serializer', { serializer: { read: JSON.parse } }, 'serializer'],
  ])('%s throws an EventSourceOptionError naming the option and the /vueuse entry, and connects nothing', (_, options, option) => {
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
    }
    expect(fetch).not.toHaveBeenCalled()
  })
})
