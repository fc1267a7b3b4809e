/**
 * The fetch-event-source, vueuse and event-source-polyfill drop-ins in Chromium, against the scenario
 * server on another origin: the callback contract, the VueUse return values, and the guides' shape (b)
 * run unchanged on event-source-polyfill 1.0.31 itself and on ours, side by side. docs/migrating.md promises
 * what these hold.
 */
import type { PolyfillClass } from '../fixtures/guides'
import { mount } from '@vue/test-utils'
import { EventSourcePolyfill as Theirs } from 'event-source-polyfill'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, effectScope, h } from 'vue'
import { EventSourcePolyfill as Ours } from '../../src/eventsource/index'
import { fetchEventSource } from '../../src/fetch-event-source/index'
import { useEventSource } from '../../src/vueuse/index'
import { guideShapeB } from '../fixtures/guides'
import { server, stats, uniqueKey } from './stats'

describe('drop-in fetchEventSource in Chromium', () => {
  it('onopen, onmessage, onclose, and the promise resolves; a 401 rejects with no retry', async () => {
    const key = uniqueKey()
    const seen: string[] = []
    await fetchEventSource(server.route('events', { key, count: 2 }), { onmessage: message => seen.push(`${message.id}:${message.data}`), onclose: () => seen.push('close') })
    expect(seen).toEqual(['1:event 1', '2:event 2', 'close'])
    const denied = uniqueKey()
    await expect(fetchEventSource(server.route('authed', { key: denied }), {})).rejects.toMatchObject({ status: 401 })
    expect((await stats(denied)).requests).toHaveLength(1)
  })
})

function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => hidden ? 'hidden' : 'visible' })
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
  document.dispatchEvent(new Event('visibilitychange'))
}

describe('the drop-in EventSource and fetchEventSource in a Web Worker', () => {
  it('both run where there is no window and no document', async () => {
    const worker = new Worker(new URL('./dropInWorker.ts', import.meta.url), { type: 'module' })
    const received: string[] = []
    worker.addEventListener('message', (event: MessageEvent<string>) => received.push(event.data))
    worker.postMessage({ eventSource: server.route('events', { key: uniqueKey(), count: 2, hold: true }), fetchEventSource: server.route('events', { key: uniqueKey(), count: 2 }) })
    await vi.waitFor(() => expect(received.at(-1)).toBe('done'), { timeout: 5000 })
    worker.terminate()
    expect(received).toEqual(['no window, no document', 'EventSource: event 1', 'EventSource: event 2', 'fetchEventSource: event 1', 'fetchEventSource: event 2', 'done'])
  })
})

describe('fetchEventSource when the page hides and comes back (openWhenHidden: false, the default)', () => {
  const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
  async function hideAndShow(run: (input: string, init: { method: string, body?: string, signal: AbortSignal, onopen: (response: Response) => Promise<void> }) => Promise<void>, method: 'GET' | 'POST'): Promise<number> {
    const key = uniqueKey()
    const controller = new AbortController()
    let opens = 0
    void run(server.route('echo', { key, hold: true }), { method, body: method === 'POST' ? '{"prompt":"once"}' : undefined, signal: controller.signal, onopen: async () => {
      opens++
    } })
    await vi.waitFor(() => expect(opens).toBe(1))
    setHidden(true)
    await pause(100)
    setHidden(false)
    await pause(1500)
    controller.abort()
    return (await stats(key)).requests.length
  }

  it('with openWhenHidden: true, a GET stays open while the page is hidden', async () => {
    try {
      expect(await hideAndShow((input, init) => fetchEventSource(input, { ...init, openWhenHidden: true }), 'GET')).toBe(1)
    }
    finally {
      delete (document as { visibilityState?: unknown }).visibilityState
      delete (document as { hidden?: unknown }).hidden
    }
  })

  it('a POST is never re-sent (fetch-event-source 2.0.1 re-sends it), a GET closes and resumes', async () => {
    const { fetchEventSource: theirs } = await import('@microsoft/fetch-event-source')
    try {
      expect(await hideAndShow(theirs, 'POST')).toBe(2)
      expect(await hideAndShow(fetchEventSource, 'POST')).toBe(1)
      expect(await hideAndShow(fetchEventSource, 'GET')).toBe(2)
    }
    finally {
      delete (document as { visibilityState?: unknown }).visibilityState
      delete (document as { hidden?: unknown }).hidden
    }
  })
})

describe('vue-event-source/vueuse in Chromium', () => {
  it('in a component, connects once it mounts', async () => {
    const key = uniqueKey()
    let inSetup: unknown[] = []
    const Feed = defineComponent({
      setup() {
        const { status, eventSource } = useEventSource(server.route('events', { key, count: 1, hold: true }))
        inSetup = [status.value, eventSource.value]
        return () => h('p', status.value)
      },
    })
    const wrapper = mount(Feed, { attachTo: document.body })
    expect(inSetup).toEqual(['CLOSED', null])
    await vi.waitFor(() => expect(wrapper.text()).toBe('OPEN'))
    wrapper.unmount()
    await vi.waitFor(async () => expect((await stats(key)).open).toBe(0))
  })

  it('status, data, event and lastEventId as VueUse gives them; close() empties eventSource', async () => {
    const key = uniqueKey()
    const scope = effectScope()
    const result = scope.run(() => useEventSource(server.route('events', { key, count: 2, event: 'tick', hold: true }), ['tick']))!
    await vi.waitFor(() => expect(result.lastEventId.value).toBe('2'))
    expect([result.status.value, result.event.value, result.data.value]).toEqual(['OPEN', 'tick', 'event 2'])
    result.close()
    expect(result.eventSource.value).toBeNull()
    scope.stop()
  })
})

describe('the users\' guide shape (b) on event-source-polyfill 1.0.31 and on ours', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('same opens, same messages, and only the guide\'s own timer reconnects', async () => {
    const outcomes: Record<string, unknown> = {}
    // event-source-polyfill leaves the reader's rejection of a dropped stream unhandled: a defect of its
    // own, counted here so that it does not fail the run, and the drop-in must not have it.
    const unhandled: Record<string, number> = { theirs: 0, ours: 0 }
    let running = 'theirs'
    const swallow = (event: PromiseRejectionEvent): void => {
      if (String(event.reason).includes('network error')) {
        unhandled[running]!++
        event.preventDefault()
      }
    }
    addEventListener('unhandledrejection', swallow)
    for (const [name, EventSourcePolyfill] of [['theirs', Theirs], ['ours', Ours]] as const) {
      running = name
      const key = uniqueKey()
      const base = server.url
      // The drop 100 ms after the event: at 20 ms, event-source-polyfill on a loaded machine sometimes lost
      // the second stream's event with the drop (a full run saw it; ours never did).
      const url = `/drop?key=${key}&count=1&after=100`
      const token = 'guide-token'
      const run = guideShapeB(EventSourcePolyfill as unknown as PolyfillClass, base, url, token)
      await vi.waitFor(() => expect(run.opens).toHaveLength(2), { timeout: 5000 })
      run.stop()
      // the second stream drops 100 ms after it opens: let its rejection land in this client's count
      await new Promise(resolve => setTimeout(resolve, 300))
      const requests = (await stats(key)).requests
      outcomes[name] = { opens: run.opens.length, seen: run.seen.slice(0, 2), requests: requests.length, authorized: requests.every(r => r.headers.authorization === `Bearer ${token}`) }
    }
    await new Promise(resolve => setTimeout(resolve, 100))
    removeEventListener('unhandledrejection', swallow)
    expect(unhandled.ours).toBe(0)
    expect(outcomes.ours).toEqual(outcomes.theirs)
    expect(outcomes.theirs).toEqual({ opens: 2, seen: ['event 1', 'event 1'], requests: 2, authorized: true })
    expect(unhandled.theirs).toBeGreaterThan(0)
  })
})

describe('the drop-in EventSourcePolyfill\'s properties, beside event-source-polyfill 1.0.31\'s', () => {
  it('url is what was passed (a relative path, a URL object, an unnormalized URL), as theirs gives it', async () => {
    const key = uniqueKey()
    const inputs: (string | URL)[] = [
      `/events?key=${key}&count=1`,
      new URL(`/events?key=${key}&count=1`, server.url),
      `${server.url.replace('http:', 'HTTP:')}/a/../events?key=${key}&count=1`,
    ]
    const read = (Class: typeof Theirs | typeof Ours, input: string | URL): { url: string, withCredentials: boolean, readyState: number } => {
      const source = new Class(input as string, { withCredentials: true })
      const seen = { url: source.url, withCredentials: source.withCredentials, readyState: source.readyState }
      source.close()
      return seen
    }
    const theirs = inputs.map(input => read(Theirs, input))
    const ours = inputs.map(input => read(Ours, input))
    expect(ours).toEqual(theirs)
    expect(theirs.map(s => s.url)).toEqual(inputs.map(String))
  })
})
