// Tests here hold promises of docs/guide/errors.md (listed in tests/fixtures/promises/).
import type { App } from 'vue'
import process from 'node:process'
import { renderToString } from '@vue/server-renderer'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRenderer, createSSRApp, defineComponent, effectScope, h, Suspense } from 'vue'
import { sharedRegistry } from '../src/core/index'
import { CLOSED, defineEventSource, OPEN, useEventSource, useSharedEventSource } from '../src/index'
import { sleep, uniqueKey, useTestServer } from './support/helpers'

// The rule: on a server (no `document`), a composable call that belongs to an app (a component's setup,
// even after an await; app.runWithContext; a plugin) or that has neither an effect scope nor a
// component never connects, never uses the module-level registry, and renders the initial state the
// browser hydrates with. A detached effectScope() still connects; connectOnServer forces either way.
// docs/guide/ssr-nuxt.md ("Server-side rendering: where a call connects") states these rules.

const server = useTestServer()

let warnings: string[] = []
beforeEach(() => {
  warnings = []
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.map(String).join(' '))
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

/** What the page shows of a stream: its state and its data, as the browser would hydrate them. */
interface Shown { readyState: { value: number }, data: { value: unknown }, error: { value: unknown } }
const View = defineComponent({
  props: { state: { type: Object, required: true } },
  setup: props => () => {
    const state = props.state as Shown
    return h('p', `${state.readyState.value} ${String(state.data.value)} ${String(state.error.value)}`)
  },
})

/** The HTML the browser hydrates with, for any state that never connected. */
const INITIAL = '<p>2 null null</p>'

/** Renders an app whose stream `make` creates in `context`, for the user holding `token`. */
async function render(context: 'runWithContext' | 'plugin' | 'async setup' | 'setup', make: (token: string) => Shown, token: string): Promise<string> {
  let state: Shown | undefined
  const Root = defineComponent({
    async setup() {
      if (context === 'setup')
        state = make(token)
      if (context === 'async setup') {
        await sleep(5)
        state = make(token)
      }
      return () => h(View, { state: state! })
    },
  })
  const app: App = createSSRApp({ render: () => h(Suspense, null, { default: () => h(Root) }) })
  if (context === 'runWithContext')
    state = app.runWithContext(() => make(token))
  if (context === 'plugin') {
    app.use({ install: () => {
      state = make(token)
    } })
  }
  return renderToString(app)
}

const contexts = ['runWithContext', 'plugin', 'async setup', 'setup'] as const

describe('on a server, nothing connects from an app', () => {
  for (const context of contexts) {
    for (const [name, make] of [
      ['useEventSource', (url: string, token: string) => useEventSource(url, { token })],
      ['useSharedEventSource', (url: string, token: string) => useSharedEventSource(url, { token })],
      ['defineEventSource', (url: string, token: string) => defineEventSource(url, { token: () => token })()],
    ] as const) {
      // Promised in README.md, docs/guide/getting-started.md and docs/guide/api.md (tests/fixtures/promises/).
      it(`${name} in ${context}: two concurrent renders for two users, no request, each renders the initial state`, async () => {
        const key = uniqueKey()
        const url = server.current.route('authed', { key })
        const shared = sharedRegistry.keys().length
        const [alice, bob] = await Promise.all([
          render(context, token => make(url, token), 'good-token'),
          render(context, token => make(url, token), 'other-token'),
        ])
        expect(alice).toContain(INITIAL)
        expect(bob).toContain(INITIAL)
        expect(sharedRegistry.keys()).toHaveLength(shared)
        await sleep(100)
        expect(server.current.stats(key).requests).toHaveLength(0)
      })
    }
  }

  it('50 renders calling useEventSource in a plugin leave no connection and no timer behind', async () => {
    const key = uniqueKey()
    const url = server.current.route('forever', { key })
    await sleep(20)
    const timers = process.getActiveResourcesInfo().filter(kind => kind === 'Timeout').length
    for (let i = 0; i < 50; i++)
      await render('plugin', () => useEventSource(url), '')
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(0)
    expect(process.getActiveResourcesInfo().filter(kind => kind === 'Timeout').length).toBeLessThanOrEqual(timers)
  })

  it('open() on the server does nothing either', async () => {
    const key = uniqueKey()
    await render('runWithContext', () => {
      const api = useEventSource(server.current.route('forever', { key }), { immediate: false })
      api.open()
      return api
    }, '')
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(0)
  })
})

describe('on a server, outside any app', () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a detached effectScope() still connects, as tests and scripts need', async () => {
    const key = uniqueKey()
    const scope = effectScope()
    const api = scope.run(() => useEventSource(server.current.route('forever', { key })))!
    await vi.waitFor(() => expect(api.readyState.value).toBe(OPEN))
    scope.stop()
    expect(warnings).toEqual([])
  })

  it('a call with no effect scope and no component does not connect, and warns that it would never be released', async () => {
    const key = uniqueKey()
    const api = useEventSource(server.current.route('forever', { key }))
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(0)
    expect(warnings.some(w => w.includes('outside any effect scope') && w.includes('never be released'))).toBe(true)
    api.close()
  })

  it('a custom renderer in Node mounts components, and a component\'s stream connects once it is mounted', async () => {
    // A renderer of plain objects, as a terminal or a canvas renderer draws: Vue mounts its components.
    interface Item { text: string, parent: Item | null, children: Item[] }
    const item = (text = ''): Item => ({ text, parent: null, children: [] })
    const { createApp } = createRenderer<Item, Item>({
      createElement: () => item(),
      createText: text => item(text),
      createComment: text => item(text),
      setText: (node, text) => void (node.text = text),
      setElementText: (node, text) => void (node.text = text),
      insert: (child, parent, anchor) => {
        child.parent = parent
        const at = anchor ? parent.children.indexOf(anchor) : -1
        parent.children.splice(at === -1 ? parent.children.length : at, 0, child)
      },
      remove: (child) => {
        child.parent?.children.splice(child.parent.children.indexOf(child), 1)
        child.parent = null
      },
      parentNode: node => node.parent,
      nextSibling: node => node.parent?.children[node.parent.children.indexOf(node) + 1] ?? null,
      patchProp: () => {},
    })
    const key = uniqueKey()
    let inSetup: number | undefined
    let shown!: Shown
    const app = createApp(defineComponent({
      setup() {
        shown = useEventSource(server.current.route('forever', { key }))
        inSetup = shown.readyState.value
        return () => h(View, { state: shown })
      },
    }))
    app.mount(item())
    expect(inSetup).toBe(CLOSED)
    await vi.waitFor(() => expect(shown.readyState.value).toBe(OPEN))
    expect(server.current.stats(key).requests).toHaveLength(1)
    app.unmount()
    await vi.waitFor(() => expect(server.current.stats(key).open).toBe(0))
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('connectOnServer: true connects even from an app; false keeps a detached scope from connecting', async () => {
    const forced = uniqueKey()
    const app = createSSRApp({ render: () => null })
    const api = app.runWithContext(() => useEventSource(server.current.route('forever', { key: forced }), { connectOnServer: true }))
    await vi.waitFor(() => expect(api.readyState.value).toBe(OPEN))
    api.close()
    const kept = uniqueKey()
    const scope = effectScope()
    scope.run(() => useSharedEventSource(server.current.route('forever', { key: kept }), { connectOnServer: false }))
    await sleep(100)
    expect(server.current.stats(kept).requests).toHaveLength(0)
    scope.stop()
  })
})
