import type { UseEventSourceReturn } from '../../src/index'
import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, effectScope, h } from 'vue'
import { createEventSource, pageSignals, useEventSource } from '../../src/index'
import { server, stats, uniqueKey } from './stats'

// docs/guide/ssr-nuxt.md ("Server-side rendering: where a call connects"), the browser's column: where a
// call connects, by where it runs. docs/deploying.md: a cross-origin stream with the server's CORS
// consent (credentials, Last-Event-ID). docs/guide/core.md: `pageSignals()` gives a client the page's visibility.
// docs/index.md, the home page, quotes promises held here too (tests/fixtures/promises/home.ts).

describe('useEventSource in a component, in Chromium', () => {
  // Promised in README.md, docs/guide/getting-started.md and docs/guide/api.md (tests/fixtures/promises/).
  it('connects when the component mounts, renders events as they come, and the server sees the socket close on unmount', async () => {
    const key = uniqueKey()
    const Feed = defineComponent({
      setup() {
        const { data, status } = useEventSource(server.route('forever', { key, interval: 20 }))
        return () => h('p', `${status.value}: ${data.value ?? ''}`)
      },
    })
    const wrapper = mount(Feed, { attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.text()).toMatch(/^OPEN: event \d+$/))
    expect((await stats(key)).open).toBe(1)
    wrapper.unmount()
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
    expect((await stats(key)).clientClosed).toBe(1)
  })

  it('a call in app.runWithContext connects one task later, once the app has mounted', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const key = uniqueKey()
    const app = createApp({ render: () => h('p', 'app') })
    const api = app.runWithContext(() => useEventSource(server.route('forever', { key, interval: 20 })))
    const host = document.body.appendChild(document.createElement('div'))
    try {
      app.mount(host)
      // mounted in this task: the refs still hold the state the page was rendered (and hydrated) with
      expect(api.status.value).toBe('CLOSED')
      await new Promise(resolve => setTimeout(resolve, 0))
      expect(api.status.value).toBe('CONNECTING')
      await vi.waitFor(() => expect(api.status.value).toBe('OPEN'))
    }
    finally {
      api.close()
      app.unmount()
      host.remove()
      warn.mockRestore()
    }
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
  })

  // docs/guide/ssr-nuxt.md: "a plain Vue plugin's `install` (no injection context: wrap the call in
  // `app.runWithContext`)": app.use() sets up no injection context, so such a call connects at once and warns.
  it('a call in a plain plugin\'s install connects at once, and warns that it is never released', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const key = uniqueKey()
    const app = createApp({ render: () => h('p', 'app') })
    let api!: UseEventSourceReturn
    app.use({ install: () => {
      api = useEventSource(server.route('forever', { key, interval: 20 }))
    } })
    try {
      expect(api.status.value).toBe('CONNECTING')
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('outside any effect scope'))
      await vi.waitFor(() => expect(api.status.value).toBe('OPEN'))
    }
    finally {
      api.close()
      warn.mockRestore()
    }
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
  })

  it('a detached effectScope() connects at once; a call with no effect scope connects at once and warns that it is never released', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const scope = effectScope()
    try {
      const scoped = scope.run(() => useEventSource(server.route('forever', { key: uniqueKey(), interval: 20 })))!
      expect(scoped.status.value).toBe('CONNECTING')
      expect(warn).not.toHaveBeenCalled()
      const loose = useEventSource(server.route('forever', { key: uniqueKey(), interval: 20 }))
      expect(loose.status.value).toBe('CONNECTING')
      expect(warn).toHaveBeenCalledOnce()
      expect(String(warn.mock.calls[0])).toMatch(/outside any effect scope: it will never be released/)
      await vi.waitFor(() => expect([scoped.status.value, loose.status.value]).toEqual(['OPEN', 'OPEN']))
      loose.close()
    }
    finally {
      scope.stop()
      warn.mockRestore()
    }
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('removes a child component\'s handlers when it unmounts, while the parent keeps the stream', async () => {
    const key = uniqueKey()
    const seen: string[] = []
    let api!: UseEventSourceReturn
    const Child = defineComponent({
      setup() {
        api.on('message', message => seen.push(message.lastEventId))
        return () => h('span', 'child')
      },
    })
    const Parent = defineComponent({
      props: { showChild: Boolean },
      setup(props) {
        api = useEventSource(server.route('forever', { key, interval: 15 }))
        return () => h('div', props.showChild ? [h(Child)] : [])
      },
    })
    const wrapper = mount(Parent, { props: { showChild: true }, attachTo: document.body })
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(2))
    await wrapper.setProps({ showChild: false })
    const count = seen.length
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(seen.length).toBe(count)
    expect(api.status.value).toBe('OPEN')
    wrapper.unmount()
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('sends cookies to another origin only with withCredentials', async () => {
    // The page (127.0.0.1:<vitest port>) and the server (127.0.0.1:<server port>) are different origins.
    document.cookie = 'session=s3cret; path=/'
    const plain = createEventSource(server.route('echo', { key: uniqueKey() }), { reconnect: false })
    const withCookies = createEventSource(server.route('echo', { key: uniqueKey() }), { reconnect: false, withCredentials: true })
    const cookies: (string | undefined)[] = []
    plain.on('message', m => cookies[0] = JSON.parse(m.data).headers.cookie)
    withCookies.on('message', m => cookies[1] = JSON.parse(m.data).headers.cookie)
    plain.open()
    withCookies.open()
    await vi.waitFor(() => expect(cookies).toHaveLength(2))
    expect(cookies[0]).toBeUndefined()
    expect(cookies[1]).toBe('session=s3cret')
    document.cookie = 'session=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
  })

  it('resumes across origins: Last-Event-ID passes the CORS preflight', async () => {
    const key = uniqueKey()
    const client = createEventSource(server.route('events', { key, count: 4, per: 2 }), { reconnect: { delay: 10, jitter: 0 } })
    const ids: string[] = []
    client.on('message', m => ids.push(m.lastEventId))
    client.open()
    await vi.waitFor(() => expect(ids).toEqual(['1', '2', '3', '4']))
    client.close()
    expect((await stats(key)).requests[1]!.headers['last-event-id']).toBe('2')
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('pauses while the document says hidden and resumes when visible, with pauseWhenHidden', async () => {
    // Headless Chromium never hides a page, so the document's visibilityState is set by hand; the
    // visibilitychange event, pageSignals' listener and the connection are the browser's own.
    const key = uniqueKey()
    let visibility = 'visible'
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
    try {
      const client = createEventSource(server.route('forever', { key, interval: 15 }), { signals: pageSignals(), pauseWhenHidden: true })
      const ids: number[] = []
      client.on('message', m => ids.push(Number(m.lastEventId)))
      client.open()
      await vi.waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(2))
      visibility = 'hidden'
      document.dispatchEvent(new Event('visibilitychange'))
      await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
      visibility = 'visible'
      document.dispatchEvent(new Event('visibilitychange'))
      await vi.waitFor(async () => expect((await stats(key)).requests).toHaveLength(2))
      const resumedFrom = Number((await stats(key)).requests[1]!.headers['last-event-id'])
      await vi.waitFor(() => expect(ids.at(-1)).toBeGreaterThan(resumedFrom))
      client.close()
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1))
    }
    finally {
      Reflect.deleteProperty(document, 'visibilityState')
    }
  })

  // Promised in README.md (tests/fixtures/promises/).
  it('the core runs in a Web Worker, where there is no window and no document', async () => {
    const key = uniqueKey()
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
    const received: string[] = []
    worker.addEventListener('message', (event: MessageEvent<string>) => received.push(event.data))
    worker.postMessage(server.route('events', { key, count: 3, hold: true }))
    await vi.waitFor(() => expect(received).toEqual(['no window, no document', 'event 1', 'event 2', 'event 3']))
    worker.terminate()
  })
})
