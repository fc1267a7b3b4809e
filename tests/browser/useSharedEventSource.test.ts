// docs/guide/shared.md in Chromium: shared subscriptions in components, and the rules of "Across tabs"
// that one page can show (tabs in their own windows: tests/e2e/crossTab.test.ts).
import type { PageSignals, UseSharedEventSourceOptions } from '../../src/index'
import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, effectScope, h } from 'vue'
import { createSharedRegistry } from '../../src/core/index'
import { canShareAcrossTabs, useSharedEventSource } from '../../src/index'
import { useSharedClientRefs } from '../../src/useSharedEventSource'
import { server, stats, uniqueKey } from './stats'

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

describe('useSharedEventSource in components, in Chromium', () => {
  it('five mounted widgets, one connection; unmounting all closes it after keepAlive, not before; a remount within it does not reconnect', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const url = server.route('forever', { key, interval: 20 })
    const Widget = defineComponent({
      setup() {
        const { data, status } = useSharedEventSource(url, { registry, keepAlive: 600 })
        return () => h('span', `${status.value}:${data.value ?? ''}`)
      },
    })
    const Board = defineComponent({
      props: { count: { type: Number, required: true } },
      setup: props => () => h('div', Array.from({ length: props.count }, (_, i) => h(Widget, { key: i }))),
    })
    const board = mount(Board, { props: { count: 5 }, attachTo: document.body })
    await vi.waitFor(() => expect(board.findAll('span').every(span => /^OPEN:event \d+$/.test(span.text()))).toBe(true))
    expect((await stats(key)).requests).toHaveLength(1)
    expect((await stats(key)).open).toBe(1)

    await board.setProps({ count: 0 })
    await sleep(250)
    expect((await stats(key)).open).toBe(1)
    await board.setProps({ count: 2 })
    await sleep(900)
    expect((await stats(key)).requests).toHaveLength(1)
    expect(board.findAll('span').every(span => span.text().startsWith('OPEN:'))).toBe(true)

    board.unmount()
    const left = Date.now()
    await sleep(300)
    expect((await stats(key)).open).toBe(1)
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0), { timeout: 3000 })
    expect(Date.now() - left).toBeGreaterThanOrEqual(550)
    expect(registry.keys()).toEqual([])
  })
})

/** A page whose visibility and network the test sets, as the browser's events would. */
function fakePage(): PageSignals & { setHidden: (hidden: boolean) => void, setOnline: (online: boolean) => void } {
  let hidden = false
  let online = true
  const listeners = new Set<() => void>()
  const tell = (): void => {
    for (const listener of [...listeners])
      listener()
  }
  return {
    hidden: () => hidden,
    online: () => online,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    setHidden(value) {
      hidden = value
      tell()
    },
    setOnline(value) {
      online = value
      tell()
    },
  }
}

/**
 * A tab of its own within this page: its own registry (the page-wide one of a tab), page signals and
 * subscriber. Tabs meet through the Web Lock and BroadcastChannel of the origin, as tabs in their own
 * windows do.
 */
function openTab(url: string, options: UseSharedEventSourceOptions<any> = {}) {
  const registry = createSharedRegistry()
  const page = fakePage()
  const scope = effectScope()
  const api = scope.run(() => useSharedClientRefs<any, Record<never, never>>(url, { registry, shareAcrossTabs: true, keepAlive: 0, signals: page, reconnect: { delay: 20, jitter: 0 }, ...options }))!
  const ids: string[] = []
  api.on('message', message => ids.push(message.lastEventId))
  return { api, page, ids, close: () => {
    scope.stop()
    registry.clear()
  } }
}

describe('across tabs, in Chromium', () => {
  it('the leader holds the Web Lock vue-event-source:<key>; each tab parses with its own parse; a follower\'s close() and open() act on the one connection', async () => {
    expect(canShareAcrossTabs()).toBe(true)
    const key = uniqueKey()
    const url = server.route('forever', { key, interval: 20 })
    const shouting = openTab(url, { parse: raw => raw.toUpperCase() })
    const plain = openTab(url)
    await vi.waitFor(() => expect(shouting.ids.length >= 3 && plain.ids.length >= 3).toBe(true))
    expect((await stats(key)).requests).toHaveLength(1)
    expect([shouting.api.crossTab.value, plain.api.crossTab.value].sort()).toEqual(['follower', 'leader'])
    expect((await navigator.locks.query()).held?.map(lock => lock.name)).toContain(`vue-event-source:${shouting.api.key.value}`)
    expect(shouting.api.data.value).toMatch(/^EVENT \d+$/)
    expect(plain.api.data.value).toMatch(/^event \d+$/)

    const follower = shouting.api.crossTab.value === 'follower' ? shouting : plain
    follower.api.close()
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
    expect([shouting.api.status.value, plain.api.status.value]).toEqual(['CLOSED', 'CLOSED'])
    const last = follower.api.lastEventId.value
    follower.api.open()
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(1))
    expect((await stats(key)).requests.map(r => r.headers['last-event-id'])).toEqual([undefined, last])
    shouting.close()
    plain.close()
  })

  // docs/guide/shared.md ("Across tabs"): the cross-tab code loads on first use, in a chunk of its own.
  it('a subscriber made before the cross-tab code has loaded keeps its on() handlers and an open() called meanwhile; one disposed before the load never connects, nor holds or waits for the lock', async () => {
    const key = uniqueKey()
    const url = server.route('forever', { key, interval: 20 })
    const ours = async (): Promise<string[]> => {
      const { held = [], pending = [] } = await navigator.locks.query()
      return [...held, ...pending].map(lock => String(lock.name)).filter(name => name.includes(key))
    }
    // Made and disposed in one task: no import() has resolved by then.
    const gone = openTab(url)
    expect([gone.api.status.value, gone.api.crossTab.value]).toEqual(['CLOSED', 'follower'])
    gone.close()
    await sleep(300)
    expect((await stats(key)).requests).toHaveLength(0)
    expect(await ours()).toEqual([])

    // Not started (immediate: false), its handler registered and open() called, all before the load: one
    // connection, every event heard.
    const tab = openTab(url, { immediate: false })
    expect([tab.api.status.value, tab.api.crossTab.value]).toEqual(['CLOSED', 'follower'])
    tab.api.open()
    await vi.waitFor(() => expect(tab.ids.length).toBeGreaterThanOrEqual(3))
    expect(tab.api.crossTab.value).toBe('leader')
    expect(await ours()).toEqual([`vue-event-source:${tab.api.key.value}`])
    expect((await stats(key)).requests).toHaveLength(1)
    tab.close()
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
    expect(await ours()).toEqual([])
  })

  it('with pauseWhenHidden, when every tab is hidden the leader pauses as a single tab would; a tab shown again takes the connection, resuming with Last-Event-ID', async () => {
    const key = uniqueKey()
    const url = server.route('forever', { key, interval: 20 })
    const tabs = [openTab(url, { pauseWhenHidden: true }), openTab(url, { pauseWhenHidden: true })]
    await vi.waitFor(() => expect(tabs.every(tab => tab.ids.length >= 3)).toBe(true))
    const leader = tabs.find(tab => tab.api.crossTab.value === 'leader')!
    const follower = tabs.find(tab => tab !== leader)!
    follower.page.setHidden(true)
    leader.page.setHidden(true)
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
    const last = leader.api.lastEventId.value
    await sleep(100)
    expect((await stats(key)).requests).toHaveLength(1)
    expect(tabs.map(tab => tab.api.status.value)).toEqual(['CONNECTING', 'CONNECTING'])
    follower.page.setHidden(false)
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(1))
    expect((await stats(key)).requests.map(r => r.headers['last-event-id'])).toEqual([undefined, last])
    await vi.waitFor(() => expect(follower.api.crossTab.value).toBe('leader'))
    tabs.forEach(tab => tab.close())
  })

  it('the leader\'s heartbeatTimeout and network state govern the connection', async () => {
    const roles = (tabs: { api: { crossTab: { value: string } } }[]): string[] => tabs.map(tab => tab.api.crossTab.value)
    // A leader with a heartbeat replaces a silent connection; a follower's heartbeat does nothing.
    const watched = uniqueKey()
    const watching = [openTab(server.route('stalled', { key: watched }), { heartbeatTimeout: 150 }), openTab(server.route('stalled', { key: watched }))]
    await vi.waitFor(() => expect(roles(watching)).toEqual(['leader', 'follower']))
    await vi.waitFor(async () => expect((await stats(watched)).requests.length).toBeGreaterThanOrEqual(2))
    await vi.waitFor(() => expect(watching[1]!.api.error.value?.type).toBe('heartbeat-timeout'))
    watching.forEach(tab => tab.close())
    const unwatched = uniqueKey()
    const blind = [openTab(server.route('stalled', { key: unwatched })), openTab(server.route('stalled', { key: unwatched }), { heartbeatTimeout: 150 })]
    await vi.waitFor(() => expect(roles(blind)).toEqual(['leader', 'follower']))
    await sleep(400)
    expect((await stats(unwatched)).requests).toHaveLength(1)
    blind.forEach(tab => tab.close())

    // An offline leader makes no attempt, though a follower is online; back online, it connects.
    const key = uniqueKey()
    const offline = openTab(server.route('forever', { key, interval: 20 }))
    offline.page.setOnline(false)
    const online = openTab(server.route('forever', { key, interval: 20 }))
    await vi.waitFor(() => expect(roles([offline, online])).toEqual(['leader', 'follower']))
    await sleep(100)
    expect((await stats(key)).requests).toHaveLength(0)
    offline.page.setOnline(true)
    await vi.waitFor(() => expect(online.ids.length).toBeGreaterThanOrEqual(2))
    offline.close()
    online.close()
  })
})
