import type { EventSourceClient } from '../../src/core/client'
import type { EventSourceOptions } from '../../src/core/types'
import type { RouteName } from '../server/route'
import process from 'node:process'
import { describe, expect, it, vi } from 'vitest'
import { effectScope, watch } from 'vue'
import { createClient } from '../../src/core/client'
import { CLOSED, OPEN } from '../../src/core/types'
import { useEventSource } from '../../src/index'
import { sleep, uniqueKey, useTestServer } from '../support/helpers'

// The rule: any user callback may call close() or open() at any point, in any state, and the last call
// wins. After close(): no request is made, no timer is left, readyState is CLOSED. After open(): the
// client connects again, once.

const server = useTestServer()

type Action = 'close' | 'open'

/** Where a callback is hooked, what makes it fire, and the hook itself. */
interface Hook {
  name: string
  route: RouteName
  params?: Record<string, unknown>
  /** Options that call `act` from the callback under test, the first time it fires. */
  options: (act: () => void) => EventSourceOptions
  /** For hooks on the returned client rather than options. */
  attach?: (client: EventSourceClient, act: () => void) => void
}

/** Calls `act`, then gives `value`: a getter that closes or opens as it is read. */
function after<T>(act: () => void, value: T): T {
  act()
  return value
}

const failing = { reconnect: { delay: 20, jitter: 0, retries: 3 } }
const hooks: Hook[] = [
  { name: 'onOpen', route: 'forever', options: act => ({ onOpen: act }) },
  { name: 'onMessage', route: 'forever', options: act => ({ onMessage: act }) },
  { name: 'an on() handler', route: 'forever', options: () => ({}), attach: (client, act) => client.on('message', act) },
  { name: 'onError (503)', route: 'status', params: { code: 503 }, options: act => ({ ...failing, onError: act }) },
  { name: 'onError (refused token, fixed token)', route: 'authed', options: act => ({ token: 'bad', onError: act }) },
  { name: 'reconnect.onFailed', route: 'status', params: { code: 503 }, options: act => ({ reconnect: { delay: 5, jitter: 0, retries: 1, onFailed: act } }) },
  { name: 'a sync token getter', route: 'forever', options: act => ({ token: () => after(act, 'good-token') }) },
  { name: 'an async token getter', route: 'forever', options: act => ({ token: async () => after(act, 'good-token') }) },
  { name: 'a url getter', route: 'forever', options: () => ({}) },
  { name: 'a headers getter', route: 'forever', options: act => ({ headers: () => after(act, { 'x-test': '1' }) }) },
  { name: 'a subscribe listener, as a reconnect is scheduled', route: 'status', params: { code: 503 }, options: () => failing, attach: (client, act) => client.subscribe(s => s.retryDelay !== null && act()) },
  { name: 'a subscribe listener, on CONNECTING', route: 'forever', options: () => ({}), attach: (client, act) => client.subscribe(s => s.readyState === 0 && act()) },
  { name: 'a subscribe listener, on OPEN', route: 'forever', options: () => ({}), attach: (client, act) => client.subscribe(s => s.readyState === OPEN && act()) },
  { name: 'a subscribe listener, on an error', route: 'status', params: { code: 503 }, options: () => failing, attach: (client, act) => client.subscribe(s => s.error !== null && act()) },
]

function timers(): number {
  return process.getActiveResourcesInfo().filter(kind => kind === 'Timeout').length
}

/** Builds a client whose hook calls `action` once, the first time it fires; returns when it has. */
function build(hook: Hook, action: Action): { client: EventSourceClient, fired: () => number, key: string } {
  const key = uniqueKey()
  let client!: EventSourceClient
  let fired = 0
  const act = (): void => {
    fired++
    if (fired === 1)
      client[action]()
  }
  const url = server.current.route(hook.route, { key, ...hook.params } as never)
  const source = hook.name === 'a url getter' ? () => after(act, url) : url
  client = createClient(source, { ...hook.options(act) })
  hook.attach?.(client, act)
  return { client, fired: () => fired, key }
}

describe('any callback may call close() and it wins', () => {
  for (const hook of hooks) {
    it(`close() from ${hook.name}: CLOSED, no request after it, no timer left`, async () => {
      await sleep(20)
      const before = timers()
      const { client, fired, key } = build(hook, 'close')
      client.open()
      await vi.waitFor(() => expect(fired()).toBeGreaterThan(0))
      const requestsAtClose = server.current.stats(key).requests.length
      await sleep(250)
      expect(client.state.readyState).toBe(CLOSED)
      expect(server.current.stats(key).requests).toHaveLength(requestsAtClose)
      await server.current.waitForOpen(key, 0)
      await vi.waitFor(() => expect(timers()).toBeLessThanOrEqual(before))
      client.close()
    })
  }
})

describe('any callback may call open() and it wins', () => {
  for (const hook of hooks.filter(h => h.route === 'forever')) {
    it(`open() from ${hook.name}: connects again, one connection`, async () => {
      const { client, fired, key } = build(hook, 'open')
      client.open()
      await vi.waitFor(() => expect(fired()).toBeGreaterThan(0))
      await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
      await sleep(100)
      expect(client.state.readyState).toBe(OPEN)
      expect(server.current.stats(key).open).toBe(1)
      client.close()
    })
  }

  it('open() from onError on a failing server reconnects at once and keeps reconnecting, never stuck CLOSED', async () => {
    const key = uniqueKey()
    let calls = 0
    const client: EventSourceClient = createClient(server.current.route('status', { key, code: 503 }), {
      reconnect: { delay: 50, jitter: 0, retries: 0 },
      onError: () => {
        if (++calls < 3)
          client.open()
      },
    })
    client.open()
    await vi.waitFor(() => expect(calls).toBe(3))
    await sleep(100)
    expect(client.state.readyState).toBe(CLOSED)
    expect(server.current.stats(key).requests).toHaveLength(3)
  })
})

describe('vue: a sync watcher may close', () => {
  it('watch(error, () => close(), { flush: \'sync\' }) against a failing server: one request, CLOSED', async () => {
    const key = uniqueKey()
    const scope = effectScope()
    const api = scope.run(() => {
      const api = useEventSource(server.current.route('status', { key, code: 503 }), { reconnect: { delay: 20, jitter: 0 } })
      watch(api.error, (error) => {
        if (error !== null)
          api.close()
      }, { flush: 'sync' })
      return api
    })!
    await vi.waitFor(() => expect(api.error.value).not.toBeNull())
    await sleep(250)
    expect(api.readyState.value).toBe(CLOSED)
    expect(server.current.stats(key).requests).toHaveLength(1)
    scope.stop()
  })

  it('watch(readyState, …, { flush: \'sync\' }) that closes on CONNECTING leaves no request', async () => {
    const key = uniqueKey()
    const scope = effectScope()
    const api = scope.run(() => {
      const api = useEventSource(server.current.route('forever', { key }), { immediate: false })
      watch(api.readyState, (state) => {
        if (state === 0)
          api.close()
      }, { flush: 'sync' })
      return api
    })!
    api.open()
    await sleep(150)
    expect(api.readyState.value).toBe(CLOSED)
    expect(server.current.stats(key).requests).toHaveLength(0)
    scope.stop()
  })
})
