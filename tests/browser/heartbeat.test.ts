import { describe, expect, it, vi } from 'vitest'
import { createEventSource } from '../../src/index'
import { server, stats, uniqueKey } from './stats'

describe('heartbeat, in Chromium', () => {
  it('a page frozen past the timeout by a long task reads what arrived before judging the stream dead', async () => {
    const key = uniqueKey()
    const errors: string[] = []
    const ids: string[] = []
    const client = createEventSource(server.route('forever', { key, interval: 10 }), { heartbeatTimeout: 200, onError: e => errors.push(e.type) })
    client.on('message', m => ids.push(m.lastEventId))
    client.open()
    await vi.waitFor(() => expect(ids.length).toBeGreaterThan(3))
    const frozenUntil = performance.now() + 500
    while (performance.now() < frozenUntil) {
      // A long task: the watchdog's timer and the bytes the server sends meanwhile both wait.
    }
    const before = ids.length
    await vi.waitFor(() => expect(ids.length).toBeGreaterThan(before + 3))
    client.close()
    expect(errors).toEqual([])
    expect((await stats(key)).requests).toHaveLength(1)
  })

  it('a stream that sends nothing is still given up after the timeout', async () => {
    const key = uniqueKey()
    const errors: { type: string, at: number }[] = []
    const started = performance.now()
    const client = createEventSource(server.route('stalled', { key }), { heartbeatTimeout: 200, reconnect: false, onError: e => errors.push({ type: e.type, at: performance.now() - started }) })
    client.open()
    await vi.waitFor(() => expect(errors).toHaveLength(1))
    expect(errors[0]!.type).toBe('heartbeat-timeout')
    expect(errors[0]!.at).toBeGreaterThanOrEqual(200)
    expect(client.state.readyState).toBe(2)
  })
})
