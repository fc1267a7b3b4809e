/**
 * bindSource.ts: one caller's refs and handlers over a source (a client of its own, a shared connection),
 * against the scenario server. The composables' own tests cover it through them; here the binding alone.
 */
import type { EventSourceError } from '../src/index'
import { describe, expect, it, vi } from 'vitest'
import { bindSource } from '../src/bindSource'
import { createClient } from '../src/core/internal'
import { CLOSED, OPEN } from '../src/index'
import { uniqueKey, useTestServer } from './support/helpers'

const server = useTestServer()
const defaults = { events: [], flush: 'sync' as const, onMessage: undefined, onError: undefined, lastEventId: '' }

describe('bindSource', () => {
  it('the refs follow the source\'s state and its message events; on() handlers get every event', async () => {
    const binding = bindSource<string, Record<never, never>>(defaults)
    const client = createClient<string, Record<never, never>>(server.current.route('events', { key: uniqueKey(), count: 3, hold: true }))
    binding.attach(client)
    const ids: string[] = []
    binding.on('message', m => ids.push(m.lastEventId))
    client.open()
    await vi.waitFor(() => expect(ids).toEqual(['1', '2', '3']))
    expect(binding.refs.readyState.value).toBe(OPEN)
    expect([binding.refs.data.value, binding.refs.event.value, binding.refs.lastEventId.value]).toEqual(['event 3', 'message', '3'])
    client.close()
    expect(binding.refs.readyState.value).toBe(CLOSED)
    binding.dispose()
  })

  it('attach() moves the refs and the on() handlers to another source, and leaves the first one', async () => {
    const binding = bindSource<string, Record<never, never>>(defaults)
    const first = createClient<string, Record<never, never>>(server.current.route('forever', { key: uniqueKey(), interval: 10 }))
    const second = createClient<string, Record<never, never>>(server.current.route('events', { key: uniqueKey(), count: 2, event: 'tick', hold: true }))
    binding.attach(first)
    const ticks: string[] = []
    binding.on('tick', m => ticks.push(m.data))
    first.open()
    await vi.waitFor(() => expect(binding.refs.readyState.value).toBe(OPEN))
    binding.attach(second)
    expect(binding.refs.readyState.value).toBe(CLOSED)
    second.open()
    await vi.waitFor(() => expect(ticks).toEqual(['event 1', 'event 2']))
    // The first source no longer moves the refs.
    first.close()
    expect(binding.refs.readyState.value).toBe(OPEN)
    second.close()
    binding.dispose()
  })

  it('tells onError once per error, and dispose() removes every handler', async () => {
    const errors: EventSourceError[] = []
    const binding = bindSource<string, Record<never, never>>({ ...defaults, onError: error => errors.push(error) })
    const client = createClient<string, Record<never, never>>(server.current.route('status', { key: uniqueKey(), code: 404 }))
    binding.attach(client)
    client.open()
    await vi.waitFor(() => expect(binding.refs.readyState.value).toBe(CLOSED))
    expect(errors.map(e => e.type)).toEqual(['http-status'])
    const seen: string[] = []
    binding.on('message', m => seen.push(m.data))
    binding.dispose()
    const other = createClient<string, Record<never, never>>(server.current.route('events', { key: uniqueKey(), count: 1 }))
    binding.attach(other)
    other.open()
    await vi.waitFor(() => expect(binding.refs.lastEventId.value).toBe('1'))
    expect(seen).toEqual([])
    other.close()
  })

  it('refuses events that are not an array of names, and an unknown flush', () => {
    expect(() => bindSource({ ...defaults, events: 'tick' as never })).toThrow(/Invalid events/)
    expect(() => bindSource({ ...defaults, flush: 'later' as never })).toThrow(/Invalid flush/)
  })
})
