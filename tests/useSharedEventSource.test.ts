// The rules of docs/guide/shared.md ("Shared subscriptions"), in Node; across tabs: tests/browser/useSharedEventSource.test.ts and tests/e2e/crossTab.test.ts.
import type { EventSourceError, UseEventSourceOptions, UseEventSourceReturn, UseSharedEventSourceOptions, UseSharedEventSourceReturn } from '../src/index'
import { renderToString } from '@vue/server-renderer'
import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import { createSSRApp, defineComponent, effectScope, h, ref, watch } from 'vue'
import { createSharedRegistry, sharedRegistry } from '../src/core/index'
import { canShareAcrossTabs, defineEventSource, EventSourceOptionError, useEventSource, useSharedEventSource } from '../src/index'
import { useSharedClientRefs } from '../src/useSharedEventSource'
import { sleep, uniqueKey, useTestServer } from './support/helpers'

const server = useTestServer()

/** A subscriber in its own effect scope, as a component would be; stop() is its unmount. */
function subscribe<Data = string>(url: string, options: UseSharedEventSourceOptions<Data>): UseSharedEventSourceReturn<Data> & { stop: () => void } {
  const scope = effectScope()
  const result = scope.run(() => useSharedClientRefs<Data, Record<never, never>>(url, options))!
  return { ...result, stop: () => scope.stop() }
}

describe('useSharedEventSource', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('gives many subscribers of one URL a single connection, and each of them every event', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const url = server.current.route('forever', { key, interval: 20 })
    const subscribers = Array.from({ length: 5 }, () => subscribe(url, { registry }))
    const seen = subscribers.map((subscriber) => {
      const ids: string[] = []
      subscriber.on('message', m => ids.push(m.lastEventId))
      return ids
    })
    await vi.waitFor(() => expect(seen.every(ids => ids.length >= 3)).toBe(true))
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(server.current.stats(key).open).toBe(1)
    for (const subscriber of subscribers)
      expect(subscriber.status.value).toBe('OPEN')
    for (const ids of seen)
      expect(ids.slice(0, 3)).toEqual(['1', '2', '3'])
    subscribers.forEach(s => s.stop())
    registry.clear()
  })

  it('closes the connection once the last subscriber is gone and keepAlive has passed, not before', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const url = server.current.route('forever', { key, interval: 20 })
    const a = subscribe(url, { registry, keepAlive: 400 })
    const b = subscribe(url, { registry, keepAlive: 400 })
    await vi.waitFor(() => expect(a.status.value).toBe('OPEN'))
    a.stop()
    b.stop()
    const left = Date.now()
    await sleep(200)
    expect(server.current.stats(key).open).toBe(1)
    await server.current.waitForOpen(key, 0, 2000)
    expect(Date.now() - left).toBeGreaterThanOrEqual(380)
    expect(registry.keys()).toEqual([])
  })

  it('a subscriber that arrives while the connection lingers takes it over without reconnecting', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const url = server.current.route('forever', { key, interval: 20 })
    const first = subscribe(url, { registry, keepAlive: 500 })
    await vi.waitFor(() => expect(first.status.value).toBe('OPEN'))
    first.stop()
    await sleep(100)
    const second = subscribe(url, { registry, keepAlive: 500 })
    const ids: string[] = []
    second.on('message', m => ids.push(m.lastEventId))
    await sleep(700)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(second.status.value).toBe('OPEN')
    expect(ids.length).toBeGreaterThan(5)
    second.stop()
    registry.clear()
  })

  it('removes each subscriber\'s handlers with its own scope, and keeps the others\'', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const url = server.current.route('forever', { key, interval: 15 })
    const a = subscribe(url, { registry })
    const b = subscribe(url, { registry })
    const fromA: string[] = []
    const fromB: string[] = []
    a.on('message', m => fromA.push(m.lastEventId))
    b.on('message', m => fromB.push(m.lastEventId))
    await vi.waitFor(() => expect(fromA.length).toBeGreaterThanOrEqual(2))
    a.stop()
    const countA = fromA.length
    const countB = fromB.length
    await sleep(100)
    expect(fromA).toHaveLength(countA)
    expect(fromB.length).toBeGreaterThan(countB)
    b.stop()
    registry.clear()
  })

  it('reports conflicting options for one key with a typed error naming them', () => {
    const registry = createSharedRegistry()
    const url = server.current.route('forever', { key: uniqueKey() })
    const first = subscribe(url, { registry, immediate: false, parse: 'json', heartbeatTimeout: 1000 })
    let thrown: unknown
    try {
      subscribe(url, { registry, immediate: false, parse: 'text', heartbeatTimeout: 1000 })
    }
    catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(EventSourceOptionError)
    expect((thrown as EventSourceOptionError).option).toBe('key')
    expect((thrown as Error).message).toContain('parse')
    expect((thrown as Error).message).not.toContain('heartbeatTimeout')
    // Options that are each subscriber's own never conflict.
    const own = subscribe(url, { registry, immediate: false, parse: 'json', heartbeatTimeout: 1000, events: ['notice'], flush: 'frame', onMessage: () => {} })
    expect(own.key.value).toBe(first.key.value)
    first.stop()
    own.stop()
    registry.clear()
  })

  it('keys on method, URL and body: different bodies get different connections, an explicit key shares', async () => {
    const registry = createSharedRegistry()
    const key = uniqueKey()
    const url = server.current.route('echo', { key, hold: true })
    const a = subscribe(url, { registry, method: 'POST', body: { room: 1 } })
    const b = subscribe(url, { registry, method: 'POST', body: { room: 2 } })
    const c = subscribe(url, { registry, method: 'POST', body: { room: 1 } })
    await vi.waitFor(() => expect(server.current.stats(key).open).toBe(2))
    expect(a.key.value).toBe(c.key.value)
    expect(a.key.value).not.toBe(b.key.value)
    const named = uniqueKey()
    const d = subscribe(server.current.route('forever', { key: named, variant: 1 }), { registry, key: 'feed' })
    const e = subscribe(server.current.route('forever', { key: named, variant: 2 }), { registry, key: 'feed' })
    await vi.waitFor(() => expect(e.status.value).toBe('OPEN'))
    expect(server.current.stats(named).requests).toHaveLength(1)
    for (const s of [a, b, c, d, e])
      s.stop()
    registry.clear()
  })

  it('never puts a token into the key', () => {
    const registry = createSharedRegistry()
    const s = subscribe(server.current.route('authed', { key: uniqueKey() }), { registry, immediate: false, token: 'super-secret-token' })
    expect(s.key.value).not.toContain('super-secret-token')
    expect(s.key.value).toMatch(/token:[0-9a-z]+$/)
    s.stop()
    registry.clear()
  })

  it('open() and close() act on the shared connection, for every subscriber', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const url = server.current.route('forever', { key, interval: 20 })
    const a = subscribe(url, { registry })
    const b = subscribe(url, { registry })
    await vi.waitFor(() => expect(b.status.value).toBe('OPEN'))
    a.close()
    expect(b.status.value).toBe('CLOSED')
    await server.current.waitForOpen(key, 0)
    b.open()
    await vi.waitFor(() => expect(a.status.value).toBe('OPEN'))
    expect(server.current.stats(key).requests).toHaveLength(2)
    a.stop()
    b.stop()
    registry.clear()
  })

  it('follows a reactive URL to another shared stream, taking its handlers along', async () => {
    const registry = createSharedRegistry()
    const first = uniqueKey()
    const second = uniqueKey()
    const url = ref(server.current.route('forever', { key: first, interval: 15 }))
    const scope = effectScope()
    const s = scope.run(() => useSharedEventSource(url, { registry, keepAlive: 0 }))!
    const ids: string[] = []
    s.on('message', m => ids.push(m.lastEventId))
    await vi.waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(2))
    url.value = server.current.route('forever', { key: second, interval: 15 })
    await vi.waitFor(() => expect(server.current.stats(second).open).toBe(1))
    await server.current.waitForOpen(first, 0)
    const before = ids.length
    await vi.waitFor(() => expect(ids.length).toBeGreaterThan(before + 2))
    scope.stop()
    registry.clear()
  })

  it('gives each subscriber its own events and flush', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const url = server.current.route('events', { key, count: 2, event: 'notice', hold: true })
    const listening = subscribe(url, { registry, events: ['notice'] })
    const plain = subscribe(url, { registry })
    await vi.waitFor(() => expect(listening.data.value).toBe('event 2'))
    expect(plain.data.value).toBeNull()
    expect(plain.lastEventId.value).toBe('2')
    listening.stop()
    plain.stop()
    registry.clear()
  })

  it('uses one page-wide registry by default', async () => {
    const key = uniqueKey()
    const url = server.current.route('forever', { key, interval: 20 })
    const a = subscribe(url, { keepAlive: 0 })
    const b = subscribe(url, { keepAlive: 0 })
    await vi.waitFor(() => expect(b.status.value).toBe('OPEN'))
    expect(sharedRegistry.holders(a.key.value)).toBe(2)
    a.stop()
    b.stop()
    await server.current.waitForOpen(key, 0)
    expect(sharedRegistry.keys()).not.toContain(a.key.value)
  })

  it('says "unavailable" and connects per tab where Web Locks are missing (Node)', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const s = subscribe(server.current.route('forever', { key }), { registry, shareAcrossTabs: true })
    await vi.waitFor(() => expect(s.status.value).toBe('OPEN'))
    expect(s.crossTab.value).toBe('unavailable')
    s.stop()
    registry.clear()
  })
})

describe('defineEventSource', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('defines a stream once; every user of it shares one connection', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const useFeed = defineEventSource<unknown>(server.current.route('forever', { key, interval: 20 }), { registry, parse: raw => ({ text: raw }) })
    const scope = effectScope()
    const users = scope.run(() => [useFeed(), useFeed({ flush: 'microtask' }), useFeed({ events: ['other'] })])!
    await vi.waitFor(() => expect(users.every(u => u.status.value === 'OPEN')).toBe(true))
    await vi.waitFor(() => expect(users[0]!.data.value).toEqual({ text: expect.stringMatching(/^event \d+$/) }))
    expect(server.current.stats(key).requests).toHaveLength(1)
    scope.stop()
    registry.clear()
  })
})

describe('shared streams and server-side rendering', () => {
  it('shares nothing between server requests and connects nowhere', async () => {
    const key = uniqueKey()
    const Widget = defineComponent({
      setup() {
        const { status, crossTab } = useSharedEventSource(server.current.route('forever', { key }), { shareAcrossTabs: true })
        return () => h('p', `${status.value} ${crossTab.value}`)
      },
    })
    const before = sharedRegistry.keys().length
    const pages = await Promise.all([renderToString(createSSRApp(Widget)), renderToString(createSSRApp(Widget))])
    expect(pages).toEqual(['<p>CLOSED off</p>', '<p>CLOSED off</p>'])
    expect(sharedRegistry.keys()).toHaveLength(before)
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(0)
  })
})

// docs/guide/shared.md: the table "how it works", the extra options and return values, `crossTab`.
describe('useSharedEventSource: what the shared subscriptions page says', () => {
  it('returns every ref useEventSource returns plus key and crossTab, and takes its options plus key, keepAlive, shareAcrossTabs and registry', () => {
    const registry = createSharedRegistry()
    const scope = effectScope()
    const [plain, shared] = scope.run(() => [useEventSource(null), useSharedEventSource(null, { registry })] as const)!
    expect(Object.keys(shared).sort()).toEqual([...Object.keys(plain), 'crossTab', 'key'].sort())
    expectTypeOf<UseSharedEventSourceReturn>().toExtend<UseEventSourceReturn>()
    expectTypeOf<keyof UseSharedEventSourceOptions>().toEqualTypeOf<keyof UseEventSourceOptions | 'key' | 'keepAlive' | 'shareAcrossTabs' | 'registry'>()
    scope.stop()
  })

  it('with immediate: false, the connection waits until a subscriber with immediate mounts, or one calls open()', async () => {
    const registry = createSharedRegistry()
    const mounted = uniqueKey()
    const url = server.current.route('forever', { key: mounted, interval: 20 })
    const lazy = subscribe(url, { registry, immediate: false })
    await sleep(50)
    expect(server.current.stats(mounted).requests).toHaveLength(0)
    expect(lazy.status.value).toBe('CLOSED')
    const eager = subscribe(url, { registry })
    await vi.waitFor(() => expect(lazy.status.value).toBe('OPEN'))
    expect(server.current.stats(mounted).requests).toHaveLength(1)

    const asked = uniqueKey()
    const alone = subscribe(server.current.route('forever', { key: asked, interval: 20 }), { registry, immediate: false })
    await sleep(50)
    expect(server.current.stats(asked).requests).toHaveLength(0)
    alone.open()
    await vi.waitFor(() => expect(alone.status.value).toBe('OPEN'))
    expect(server.current.stats(asked).requests).toHaveLength(1)
    for (const s of [lazy, eager, alone])
      s.stop()
    registry.clear()
  })

  it('gives each subscriber its own onMessage, onError and flush', async () => {
    const registry = createSharedRegistry()
    const key = uniqueKey()
    // The 50 events of this case arrive in one chunk.
    const url = server.current.route('raw', { key, case: 'many-events' })
    const told: string[] = []
    // flush: 'microtask' is the default.
    const batched = subscribe(url, { registry, reconnect: false, onMessage: m => told.push(m.data) })
    const synced = subscribe(url, { registry, reconnect: false, flush: 'sync' })
    const changes = [0, 0]
    const watching = effectScope()
    watching.run(() => [batched, synced].forEach((s, i) => watch(s.data, () => changes[i]!++, { flush: 'sync' })))
    await vi.waitFor(() => expect(synced.status.value).toBe('CLOSED'))
    await vi.waitFor(() => expect(batched.data.value).toBe('49'))
    expect(told).toHaveLength(50)
    expect(synced.data.value).toBe('49')
    expect(changes).toEqual([1, 50])
    expect(server.current.stats(key).requests).toHaveLength(1)

    const failing = server.current.route('wrong-type', { key: uniqueKey() })
    const errorsOf = [[], []] as EventSourceError[][]
    const first = subscribe(failing, { registry, onError: error => errorsOf[0]!.push(error) })
    const second = subscribe(failing, { registry, onError: error => errorsOf[1]!.push(error) })
    await vi.waitFor(() => expect(second.status.value).toBe('CLOSED'))
    await vi.waitFor(() => expect(errorsOf.map(errors => errors.map(e => e.type))).toEqual([['content-type'], ['content-type']]))
    watching.stop()
    for (const s of [batched, synced, first, second])
      s.stop()
    registry.clear()
  })

  it('keeps a stream its last subscriber left for 1500 ms by default', async () => {
    vi.useFakeTimers()
    try {
      const registry = createSharedRegistry()
      const s = subscribe(server.current.route('forever', { key: uniqueKey() }), { registry, immediate: false })
      const key = s.key.value
      s.stop()
      await vi.advanceTimersByTimeAsync(1499)
      expect(registry.keys()).toEqual([key])
      await vi.advanceTimersByTimeAsync(1)
      expect(registry.keys()).toEqual([])
    }
    finally {
      vi.useRealTimers()
    }
  })

  it('registry.clear() closes every connection the registry holds', async () => {
    const registry = createSharedRegistry()
    const keys = [uniqueKey(), uniqueKey()]
    const subscribers = keys.map(key => subscribe(server.current.route('forever', { key, interval: 20 }), { registry }))
    await vi.waitFor(() => expect(subscribers.every(s => s.status.value === 'OPEN')).toBe(true))
    expect(registry.keys()).toHaveLength(2)
    registry.clear()
    for (const key of keys)
      await server.current.waitForOpen(key, 0)
    expect(keys.map(key => server.current.stats(key).clientClosed)).toEqual([1, 1])
    expect(registry.keys()).toEqual([])
    subscribers.forEach(s => s.stop())
  })

  it('outside any effect scope, a subscription is never released, and a development warning says so', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const key = uniqueKey()
      const registry = createSharedRegistry()
      // connectOnServer: in Node, as in a browser, where such a call connects.
      const s = useSharedEventSource(server.current.route('forever', { key, interval: 20 }), { registry, keepAlive: 0, connectOnServer: true })
      await vi.waitFor(() => expect(s.status.value).toBe('OPEN'))
      expect(warn.mock.calls.map(args => args.join(' ')).join('\n')).toMatch(/useSharedEventSource\(\) outside any effect scope: it will never be released/)
      await sleep(50)
      expect(registry.holders(s.key.value)).toBe(1)
      expect(server.current.stats(key).open).toBe(1)
      registry.clear()
    }
    finally {
      warn.mockRestore()
    }
  })

  it('under one explicit key, another method conflicts; other headers are other credentials, so a stream of their own', () => {
    const registry = createSharedRegistry()
    const url = server.current.route('forever', { key: uniqueKey() })
    const first = subscribe(url, { registry, key: 'feed', immediate: false, headers: { 'x-api-key': 'one' } })
    expect(() => subscribe(url, { registry, key: 'feed', immediate: false, headers: { 'x-api-key': 'one' }, method: 'POST' })).toThrow(/different method/)
    const other = subscribe(url, { registry, key: 'feed', immediate: false, headers: { 'x-api-key': 'two' }, heartbeatTimeout: 5000 })
    expect(other.key.value).not.toBe(first.key.value)
    first.stop()
    other.stop()
    registry.clear()
  })

  it('crossTab is "off" when sharing across tabs is not asked; canShareAcrossTabs() is false where it would be "unavailable" (Node)', () => {
    const registry = createSharedRegistry()
    const url = server.current.route('forever', { key: uniqueKey() })
    const plain = subscribe(url, { registry, immediate: false })
    const asked = subscribe(url, { registry, immediate: false, shareAcrossTabs: true, key: 'across tabs' })
    expect([plain.crossTab.value, asked.crossTab.value]).toEqual(['off', 'unavailable'])
    expect(canShareAcrossTabs()).toBe(false)
    plain.stop()
    asked.stop()
    registry.clear()
  })
})
