// Tests here hold promises of docs/guide/errors.md (listed in tests/fixtures/promises/).
import type { UseEventSourceOptions, UseEventSourceReturn } from '../../src/index'
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { EventSourceOptionError } from '../../src/index'
// Bad input comes in any shape: the composable typed from its type arguments alone takes it as given.
import { useClientRefs as useEventSource } from '../../src/useEventSource'
import { server, stats, uniqueKey } from './stats'

// Anything that escapes to the page: uncaught errors, unhandled rejections, Vue's error handler.
let escaped: unknown[] = []
const onError = (event: ErrorEvent): number => escaped.push(event.error)
const onRejection = (event: PromiseRejectionEvent): number => escaped.push(event.reason)
beforeEach(() => {
  escaped = []
  window.addEventListener('error', onError)
  window.addEventListener('unhandledrejection', onRejection)
})
afterEach(() => {
  window.removeEventListener('error', onError)
  window.removeEventListener('unhandledrejection', onRejection)
})

/** Mounts an app that shows the stream's status and error, with a counter button to prove it still runs. */
function mountApp(url: string, options: UseEventSourceOptions, setup?: (api: UseEventSourceReturn) => void): { api: UseEventSourceReturn, clickStillWorks: () => Promise<void>, unmount: () => void } {
  let api!: UseEventSourceReturn
  const App = defineComponent({
    setup() {
      api = useEventSource(url, options)
      setup?.(api)
      const clicks = ref(0)
      return () => h('div', [
        h('p', { class: 'state' }, `${api.status.value} ${api.error.value?.type ?? ''}`),
        h('button', { onClick: () => clicks.value++ }, `clicked ${clicks.value}`),
      ])
    },
  })
  const wrapper = mount(App, { attachTo: document.body, global: { config: { errorHandler: error => escaped.push(error) } } })
  return {
    api,
    async clickStillWorks() {
      await wrapper.find('button').trigger('click')
      await wrapper.find('button').trigger('click')
      expect(wrapper.find('button').text()).toBe('clicked 2')
      expect(wrapper.find('.state').text()).toBe(`${api.status.value} ${api.error.value?.type ?? ''}`.trim())
    },
    unmount: () => wrapper.unmount(),
  }
}

describe('bad input gives a typed error and leaves the app running, in Chromium', () => {
  it('an invalid URL: an invalid-option error naming the url, CLOSED, no request', async () => {
    const app = mountApp('http://[::1', {})
    await vi.waitFor(() => expect(app.api.error.value).toBeInstanceOf(EventSourceOptionError))
    expect(app.api.error.value).toMatchObject({ type: 'invalid-option', option: 'url' })
    expect(app.api.status.value).toBe('CLOSED')
    await app.clickStillWorks()
    app.unmount()
    expect(escaped).toEqual([])
  })

  it('a handler that throws: a handler error, and the stream goes on delivering', async () => {
    const key = uniqueKey()
    const app = mountApp(server.route('forever', { key, interval: 20 }), {}, (api) => {
      api.on('message', () => {
        throw new Error('handler bug')
      })
    })
    await vi.waitFor(() => expect(app.api.error.value?.type).toBe('handler'))
    expect((app.api.error.value!.cause as Error).message).toBe('handler bug')
    const seen = Number(app.api.lastEventId.value)
    await vi.waitFor(() => expect(Number(app.api.lastEventId.value)).toBeGreaterThan(seen + 2))
    expect(app.api.status.value).toBe('OPEN')
    expect((await stats(key)).requests).toHaveLength(1)
    await app.clickStillWorks()
    app.unmount()
    expect(escaped).toEqual([])
  })

  it('a token getter that throws: a token error, retried with backoff', async () => {
    const key = uniqueKey()
    const app = mountApp(server.route('events', { key, hold: true }), {
      token: () => {
        throw new Error('identity provider down')
      },
      reconnect: { delay: 20, jitter: 0 },
    })
    await vi.waitFor(() => expect(app.api.attempt.value).toBeGreaterThanOrEqual(2))
    expect(app.api.error.value).toMatchObject({ type: 'token' })
    expect(app.api.status.value).toBe('CONNECTING')
    expect((await stats(key)).requests).toHaveLength(0)
    await app.clickStillWorks()
    app.unmount()
    expect(escaped).toEqual([])
  })

  it('a token getter that hangs: a token error after tokenTimeout, with the limit', async () => {
    const key = uniqueKey()
    const started = performance.now()
    const app = mountApp(server.route('events', { key, hold: true }), { token: () => new Promise<string>(() => {}), tokenTimeout: 150, reconnect: false })
    await vi.waitFor(() => expect(app.api.error.value).toMatchObject({ type: 'token', limit: 150 }))
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(app.api.status.value).toBe('CLOSED')
    await app.clickStillWorks()
    app.unmount()
    expect(escaped).toEqual([])
  })
})
