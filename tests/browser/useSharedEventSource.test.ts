import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createSharedRegistry, useSharedEventSource } from '../../src/index'
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
