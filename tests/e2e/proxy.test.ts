// Tests here hold promises of docs/guide/errors.md (listed in tests/fixtures/promises/).
import type { EventSourceError } from '../../src/core/errors'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createEventSource } from '../../src/core/client'
import { uniqueKey, useTestServer } from '../support/helpers'
import { startNginx } from '../support/nginx'

// The scenario server behind a real nginx (Debian's), configured four ways: gzip on for
// text/event-stream with proxy_buffering on (nginx then holds even the headers), gzip with
// proxy_buffering off, proxy_buffering without gzip, and the fix (proxy_buffering off, no gzip). The client cannot
// fix a proxy; the rule is that it says so: its error names buffering as the likely cause.
// docs/deploying.md ("Proxies and compression") gives the symptoms and the fixes measured here.

const server = useTestServer()
let nginx: Awaited<ReturnType<typeof startNginx>>
let proxy: string

beforeAll(async () => {
  nginx = await startNginx(server.current.url)
  proxy = nginx.url
})

afterAll(() => {
  nginx?.close()
})

function through(location: string, key: string): string {
  return `${proxy}/${location}/forever?key=${key}&interval=100`
}

describe('through nginx', () => {
  it('gzip on for text/event-stream: nginx holds even the headers; connect-timeout names buffering instead of CONNECTING for ever', async () => {
    const errors: EventSourceError[] = []
    const client = createEventSource(through('gzip', uniqueKey()), { connectTimeout: 1000, reconnect: false, onError: e => errors.push(e) })
    client.open()
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 })
    expect(errors[0]!.type).toBe('connect-timeout')
    expect(errors[0]!.message).toContain('buffering')
    expect(errors[0]!.message).toContain('a slow server')
    expect(errors[0]!.message).toContain('the per-origin limit')
    expect(client.state.readyState).toBe(2)
  })

  // Issue 30: with heartbeatTimeout below the connect timeout, the heartbeat fired first and said only "No
  // data for 3000 ms", naming no cause, in a loop. Before any header, it names what connect-timeout names.
  it('gzip on, a heartbeat shorter than the connect timeout: the heartbeat-timeout before any header names buffering, a slow server and the per-origin limit', async () => {
    const errors: EventSourceError[] = []
    const client = createEventSource(through('gzip', uniqueKey()), { heartbeatTimeout: 700, reconnect: false, onError: e => errors.push(e) })
    client.open()
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 })
    expect(errors[0]!.type).toBe('heartbeat-timeout')
    expect(errors[0]!.message).toContain('No response headers in 700 ms')
    expect(errors[0]!.message).toContain('buffering')
    expect(errors[0]!.message).toContain('a slow server')
    expect(errors[0]!.message).toContain('the per-origin limit')
  })

  it('gzip on for text/event-stream, with a heartbeat too: every attempt times out the same way, and not one event arrives', async () => {
    const errors: EventSourceError[] = []
    const messages: string[] = []
    const client = createEventSource(through('gzip', uniqueKey()), { heartbeatTimeout: 300, connectTimeout: 5000, reconnect: { delay: 20, jitter: 0, maxDelay: 20 }, onError: e => errors.push(e), onMessage: m => messages.push(m.data) })
    client.open()
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(3), { timeout: 5000 })
    client.close()
    expect(messages).toEqual([])
    expect(new Set(errors.map(e => `${e.type}: ${e.message}`)).size).toBe(1)
    expect(errors[0]!.type).toBe('heartbeat-timeout')
  })

  it('gzip on without proxy_buffering passes events, so the fix is either one (measured here, as the docs say)', async () => {
    const messages: string[] = []
    const client = createEventSource(through('gzip-unbuffered', uniqueKey()), { connectTimeout: 1000, onMessage: m => messages.push(m.data) })
    client.open()
    await vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(3), { timeout: 5000 })
    client.close()
  })

  it('gzip on with proxy_buffering on, but the upstream sends X-Accel-Buffering: no: events arrive as they are sent', async () => {
    const messages: string[] = []
    const client = createEventSource(`${through('gzip', uniqueKey())}&accel`, { connectTimeout: 1000, onMessage: m => messages.push(m.data) })
    client.open()
    await vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(3), { timeout: 5000 })
    client.close()
  })

  it('proxy_buffering on without gzip passes events, so leaving compression off is a fix on its own', async () => {
    const messages: string[] = []
    const client = createEventSource(through('buffered', uniqueKey()), { connectTimeout: 1000, onMessage: m => messages.push(m.data) })
    client.open()
    await vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(3), { timeout: 5000 })
    client.close()
  })

  it('a response whose headers come and then no byte (what a buffering proxy looks like): the heartbeat names buffering', async () => {
    const errors: EventSourceError[] = []
    const client = createEventSource(server.current.route('headers-only', { key: uniqueKey() }), { heartbeatTimeout: 1500, reconnect: false, onError: e => errors.push(e) })
    client.open()
    // 1.5 s: on a busy machine the local server's headers took more than 300 ms (the heartbeat then fired
    // before them, naming the connect-timeout causes instead).
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 6000 })
    expect(errors[0]!.type).toBe('heartbeat-timeout')
    expect(errors[0]!.message).toContain('after the headers')
    expect(errors[0]!.message).toContain('proxy_buffering')
  })

  it('proxy_buffering off (the documented fix): every event arrives as it is sent', async () => {
    const messages: string[] = []
    const errors: EventSourceError[] = []
    const client = createEventSource(through('fixed', uniqueKey()), { connectTimeout: 1000, heartbeatTimeout: 1000, onError: e => errors.push(e), onMessage: m => messages.push(m.data) })
    client.open()
    await vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(5), { timeout: 5000 })
    client.close()
    expect(errors).toEqual([])
  })
})
