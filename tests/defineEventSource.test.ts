/**
 * defineEventSource.ts: a shared stream defined once, at module level (docs/guide/shared.md), against the
 * scenario server.
 */
import { describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { createSharedRegistry } from '../src/core/index'
import { defineEventSource } from '../src/index'
import { uniqueKey, useTestServer } from './support/helpers'

const server = useTestServer()

describe('defineEventSource', () => {
  it('returns a composable whose every caller shares one connection, each with its own options', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const useTicks = defineEventSource(server.current.route('events', { key, count: 4, event: 'tick', hold: true }), { registry, parse: { tick: raw => raw.toUpperCase() } })
    const scope = effectScope()
    const [plain, listening] = scope.run(() => [useTicks(), useTicks({ events: ['tick'] })])!
    await vi.waitFor(() => expect(listening.data.value).toBe('EVENT 4'))
    // Only the caller that listed `tick` in its events has it in data.
    expect(plain.data.value).toBeNull()
    expect(plain.key.value).toBe(listening.key.value)
    expect(server.current.stats(key).requests).toHaveLength(1)
    scope.stop()
    registry.clear()
  })

  it('defines nothing until called: no request at definition', async () => {
    const key = uniqueKey()
    defineEventSource(server.current.route('forever', { key }))
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(server.current.stats(key).requests).toHaveLength(0)
  })
})
