// Tests here hold promises of docs/guide/reconnection.md (listed in tests/fixtures/promises/).
import type { PageSignals } from '../../src/core/signals'
import { describe, expect, it, vi } from 'vitest'
import { CONNECTING, OPEN } from '../../src/core/types'
import { connect, sleep, uniqueKey, useTestServer } from '../support/helpers'

const server = useTestServer()

// docs/deploying.md: `pauseWhenHidden`, and a scheduled reconnection waits for the time it was due.
// docs/spec.md: a request that is not GET is never paused, so never re-sent.
// docs/guide/core.md: a `PageSignals` of your own drives a client ("write your own to drive a client from elsewhere").
/** A page whose visibility and network the test flips, as the browser's events would. */
function fakePage(): PageSignals & { set: (state: { hidden?: boolean, online?: boolean }) => void, listeners: number } {
  let hidden = false
  let online = true
  const listeners = new Set<() => void>()
  return {
    hidden: () => hidden,
    online: () => online,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    set(state) {
      hidden = state.hidden ?? hidden
      online = state.online ?? online
      for (const listener of [...listeners])
        listener()
    },
    get listeners() {
      return listeners.size
    },
  }
}

describe('page visibility', () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('keeps the stream open while the page is hidden, by default', async () => {
    const key = uniqueKey()
    const page = fakePage()
    const { client } = connect(server.current.route('forever', { key, interval: 20 }), { signals: page })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    page.set({ hidden: true })
    await sleep(80)
    expect(client.state.readyState).toBe(OPEN)
    expect(server.current.stats(key).open).toBe(1)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('with pauseWhenHidden, closes while hidden and resumes with Last-Event-ID when visible', async () => {
    const key = uniqueKey()
    const page = fakePage()
    const { client, messages } = connect(server.current.route('forever', { key, interval: 15 }), { signals: page, pauseWhenHidden: true })
    await vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(3))
    page.set({ hidden: true })
    await server.current.waitForOpen(key, 0)
    expect(client.state.readyState).toBe(CONNECTING)
    const last = client.state.lastEventId
    await sleep(60)
    page.set({ hidden: false })
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2))
    expect(server.current.stats(key).requests[1]!.headers['last-event-id']).toBe(last)
    await vi.waitFor(() => expect(messages.length).toBeGreaterThan(Number(last)))
    const ids = messages.map(m => Number(m.lastEventId))
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1))
  })

  it('does not connect while the page starts hidden, with pauseWhenHidden', async () => {
    const key = uniqueKey()
    const page = fakePage()
    page.set({ hidden: true })
    const { client } = connect(server.current.route('forever', { key }), { signals: page, pauseWhenHidden: true })
    await sleep(80)
    expect(server.current.stats(key).requests).toHaveLength(0)
    page.set({ hidden: false })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('never pauses (so never re-sends) a request that is not GET', async () => {
    const key = uniqueKey()
    const page = fakePage()
    const { client } = connect(server.current.route('echo', { key, hold: true }), { signals: page, pauseWhenHidden: true, method: 'POST', body: { q: 1 } })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    page.set({ hidden: true })
    await sleep(50)
    page.set({ hidden: false })
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(client.state.readyState).toBe(OPEN)
  })
})

describe('network state', () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('spends no attempts while offline, and connects at once when back online', async () => {
    const key = uniqueKey()
    const page = fakePage()
    page.set({ online: false })
    const { client } = connect(server.current.route('forever', { key }), { signals: page })
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(0)
    expect(client.state.readyState).toBe(CONNECTING)
    expect(client.state.attempt).toBe(0)
    page.set({ online: true })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
  })

  it('cuts a long backoff short when the network comes back', async () => {
    const key = uniqueKey()
    const page = fakePage()
    const { client } = connect(server.current.route('flaky', { key, fails: 1, count: 1, hold: true }), { signals: page, reconnect: { delay: 60_000 } })
    await vi.waitFor(() => expect(client.state.retryDelay).not.toBeNull())
    page.set({ online: false })
    page.set({ online: true })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    expect(server.current.stats(key).requests).toHaveLength(2)
  })

  it('removes its page listeners on close', async () => {
    const page = fakePage()
    const { client } = connect(server.current.route('forever', { key: uniqueKey() }), { signals: page })
    expect(page.listeners).toBe(1)
    client.close()
    expect(page.listeners).toBe(0)
  })

  it('follows the page once however often open() is called, and again after close()', async () => {
    const page = fakePage()
    const { client } = connect(server.current.route('forever', { key: uniqueKey() }), { signals: page })
    client.open()
    client.open()
    expect(page.listeners).toBe(1)
    client.close()
    client.close()
    expect(page.listeners).toBe(0)
    client.open()
    expect(page.listeners).toBe(1)
    client.close()
  })
})

describe('a scheduled reconnection survives pauses', () => {
  // The rule: the time the next attempt was due is a floor that a pause (hidden, offline) never brings
  // forward. Coming back online may cut a plain backoff short, never a server's Retry-After.
  it('with Retry-After: 60, five hidden→visible flips make no request', async () => {
    const key = uniqueKey()
    const page = fakePage()
    const { client } = connect(server.current.route('status', { key, code: 503, retryAfter: 60 }), { signals: page, pauseWhenHidden: true, reconnect: { delay: 5, jitter: 0 } })
    await vi.waitFor(() => expect(client.state.retryDelay).toBe(60_000))
    const due = client.state.retryAt!
    for (let i = 0; i < 5; i++) {
      page.set({ hidden: true })
      await sleep(20)
      page.set({ hidden: false })
      await sleep(20)
    }
    await sleep(200)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(client.state.readyState).toBe(CONNECTING)
    expect(client.state.retryAt).toBe(due)
  })

  it('with Retry-After: 60, five offline→online flips make no request', async () => {
    const key = uniqueKey()
    const page = fakePage()
    const { client } = connect(server.current.route('status', { key, code: 503, retryAfter: 60 }), { signals: page, reconnect: { delay: 5, jitter: 0 } })
    await vi.waitFor(() => expect(client.state.retryDelay).toBe(60_000))
    for (let i = 0; i < 5; i++) {
      page.set({ online: false })
      await sleep(20)
      page.set({ online: true })
      await sleep(20)
    }
    await sleep(200)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(client.state.retryAt).not.toBeNull()
  })

  it('a plain backoff is not cut short by hidden→visible: the attempt waits for the time it was due', async () => {
    const key = uniqueKey()
    const page = fakePage()
    const { client } = connect(server.current.route('flaky', { key, fails: 1, count: 1, hold: true }), { signals: page, pauseWhenHidden: true, reconnect: { delay: 400, jitter: 0 } })
    await vi.waitFor(() => expect(client.state.retryDelay).toBe(400))
    const due = client.state.retryAt!
    page.set({ hidden: true })
    await sleep(20)
    page.set({ hidden: false })
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(client.state.retryAt).toBe(due)
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    expect(server.current.stats(key).requests[1]!.at).toBeGreaterThanOrEqual(due - 5)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('open() is the caller asking: it connects at once, whatever was due', async () => {
    const key = uniqueKey()
    const { client } = connect(server.current.route('flaky', { key, fails: 1, retryAfter: 60, count: 1, hold: true }), { reconnect: { delay: 5, jitter: 0 } })
    await vi.waitFor(() => expect(client.state.retryDelay).toBe(60_000))
    client.open()
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
  })
})
