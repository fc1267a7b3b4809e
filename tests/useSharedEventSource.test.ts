import type { UseSharedEventSourceOptions, UseSharedEventSourceReturn } from '../src/index'
import { renderToString } from '@vue/server-renderer'
import { describe, expect, it, vi } from 'vitest'
import { createSSRApp, defineComponent, effectScope, h, ref } from 'vue'
import { createSharedRegistry, defineEventSource, EventSourceOptionError, sharedRegistry, useSharedEventSource } from '../src/index'
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
