import type { StreamActivity } from '../../src/devtools/streams'
import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createSharedRegistry } from '../../src/core/index'
import { onStreamActivity, streams } from '../../src/devtools/streams'
import { useEventSource, useSharedEventSource } from '../../src/index'
import { server, stats, uniqueKey } from './stats'

// In Chromium, as a development build runs: the composables record their streams for Vue DevTools, with
// the components that use them, and forget them with their owner. docs/guide/devtools.md: what the
// inspector shows of each (request, subscribers), and its node actions.
const recorded = (url: string): ReturnType<typeof streams> => streams().filter(record => record.url === url)

describe('what the composables record for Vue DevTools, in Chromium', () => {
  it('useEventSource: one record named after its component, with its live state; gone on unmount', async () => {
    const url = server.route('forever', { key: uniqueKey(), interval: 20 })
    const Ticker = defineComponent({
      name: 'Ticker',
      setup() {
        const { status } = useEventSource(url, { token: 'secret-in-a-string', heartbeatTimeout: 5000 })
        return () => h('span', status.value)
      },
    })
    const wrapper = mount(Ticker, { attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.text()).toBe('OPEN'))
    const [record] = recorded(url)
    expect(record).toMatchObject({ kind: 'useEventSource', method: 'GET', key: '', token: true, heartbeatTimeout: 5000, subscribers: ['Ticker'] })
    expect(JSON.stringify({ ...record, client: undefined })).not.toContain('secret-in-a-string')
    await vi.waitFor(() => expect(record!.events).toBeGreaterThanOrEqual(3))
    expect(record!.client.state.readyState).toBe(1)
    wrapper.unmount()
    expect(recorded(url)).toEqual([])
  })

  it('the node actions go through the composable\'s own close() and open(): its refs follow', async () => {
    const key = uniqueKey()
    const url = server.route('forever', { key, interval: 20 })
    const Ticker = defineComponent({
      setup() {
        const { status } = useEventSource(url)
        return () => h('span', status.value)
      },
    })
    const wrapper = mount(Ticker, { attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.text()).toBe('OPEN'))
    const [record] = recorded(url)
    record!.close()
    await vi.waitFor(() => expect(wrapper.text()).toBe('CLOSED'))
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
    record!.open()
    await vi.waitFor(() => expect(wrapper.text()).toBe('OPEN'))
    expect((await stats(key)).requests).toHaveLength(2)
    wrapper.unmount()
  })

  it('useSharedEventSource: one record per connection, listing each subscribing component, with its key', async () => {
    const url = server.route('forever', { key: uniqueKey(), interval: 20 })
    const registry = createSharedRegistry()
    const Widget = defineComponent({
      name: 'NoticeWidget',
      setup() {
        const { status } = useSharedEventSource(url, { registry, keepAlive: 0 })
        return () => h('span', status.value)
      },
    })
    const Board = defineComponent({
      props: { count: { type: Number, required: true } },
      setup: props => () => h('div', Array.from({ length: props.count }, (_, i) => h(Widget, { key: i }))),
    })
    const board = mount(Board, { props: { count: 3 }, attachTo: document.body })
    await vi.waitFor(() => expect(board.findAll('span').map(s => s.text())).toEqual(['OPEN', 'OPEN', 'OPEN']))
    const [record, ...others] = recorded(url)
    expect(others).toEqual([])
    expect(record).toMatchObject({ kind: 'useSharedEventSource', subscribers: ['NoticeWidget', 'NoticeWidget', 'NoticeWidget'] })
    expect(record!.key).toContain(url)
    await board.setProps({ count: 1 })
    expect(record!.subscribers).toEqual(['NoticeWidget'])
    board.unmount()
    await vi.waitFor(() => expect(recorded(url)).toEqual([]))
  })

  it('shared across tabs: the tab taking the connection shows as a hand-over, and the record follows its role', async () => {
    const url = server.route('forever', { key: uniqueKey(), interval: 20 })
    const seen: StreamActivity[] = []
    const stop = onStreamActivity(activity => seen.push(activity))
    const Widget = defineComponent({
      name: 'TabWidget',
      setup() {
        const { status, crossTab } = useSharedEventSource(url, { registry: createSharedRegistry(), keepAlive: 0, shareAcrossTabs: true })
        return () => h('span', `${status.value} ${crossTab.value}`)
      },
    })
    const wrapper = mount(Widget, { attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.text()).toBe('OPEN leader'))
    const [record] = recorded(url)
    expect(record!.crossTab()).toBe('leader')
    expect(seen.filter(a => a.record === record && a.kind === 'handover').map(a => a.kind === 'handover' && `${a.from} → ${a.to}`)).toEqual(['follower → leader'])
    wrapper.unmount()
    stop()
  })
})
