import { describe, expect, it } from 'vitest'
import { createSharedRegistry } from '../../src/core/registry'
import { sleep } from '../support/helpers'

describe('shared registry', () => {
  it('creates a value once per key and counts its holders', () => {
    const registry = createSharedRegistry()
    let made = 0
    const a = registry.acquire('k', () => ++made, () => {}, 0)
    const b = registry.acquire('k', () => ++made, () => {}, 0)
    expect([a.value, b.value, a.created, b.created]).toEqual([1, 1, true, false])
    expect(registry.holders('k')).toBe(2)
  })

  it('disposes at once after the last release without keepAlive; a second release does nothing', () => {
    const registry = createSharedRegistry()
    const disposed: number[] = []
    const a = registry.acquire('k', () => 1, v => disposed.push(v), 0)
    const b = registry.acquire('k', () => 2, v => disposed.push(v), 0)
    a.release()
    a.release()
    expect(disposed).toEqual([])
    expect(registry.holders('k')).toBe(1)
    b.release()
    expect(disposed).toEqual([1])
    expect(registry.keys()).toEqual([])
  })

  it('lets a released value linger for keepAlive ms, and revives it for a new holder within that time', async () => {
    const registry = createSharedRegistry()
    const disposed: string[] = []
    const first = registry.acquire('k', () => 'v1', v => disposed.push(v), 100)
    first.release()
    await sleep(50)
    const again = registry.acquire('k', () => 'v2', v => disposed.push(v), 100)
    expect(again).toMatchObject({ value: 'v1', created: false })
    await sleep(100)
    expect(disposed).toEqual([])
    again.release()
    await sleep(150)
    expect(disposed).toEqual(['v1'])
  })

  it('clear() disposes everything, held or lingering', () => {
    const registry = createSharedRegistry()
    const disposed: string[] = []
    registry.acquire('a', () => 'a', v => disposed.push(v), 0)
    registry.acquire('b', () => 'b', v => disposed.push(v), 1000).release()
    registry.clear()
    expect(disposed.sort()).toEqual(['a', 'b'])
    expect(registry.keys()).toEqual([])
  })
})
