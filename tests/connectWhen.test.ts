import { renderToString } from '@vue/server-renderer'
/**
 * connectWhen.ts: when a composable may connect, decided from the runtime (a `document` or none) and the
 * calling context (a component, an app, a scope, nothing). Rendering on a server end to end is in
 * serverSide.test.ts; here each case of the decision, and connectAt's timing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, createSSRApp, defineComponent, effectScope, h } from 'vue'
import { connectAt, connectWhen } from '../src/connectWhen'

/** What connectWhen answers inside a component's setup (rendered to a string: setup runs, nothing mounts). */
async function inComponent(connectOnServer?: boolean): Promise<string> {
  let when = ''
  await renderToString(createSSRApp(defineComponent({
    setup() {
      when = connectWhen(connectOnServer)
      return () => h('p')
    },
  })))
  return when
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('connectWhen on a server (no document)', () => {
  it('a call with no effect scope and no component never connects', () => {
    expect(connectWhen(undefined)).toBe('never')
  })

  it('a call in a detached effectScope() connects now, as tests and scripts need', () => {
    const scope = effectScope(true)
    expect(scope.run(() => connectWhen(undefined))).toBe('now')
    scope.stop()
  })

  it('a call that belongs to an app but no component never connects', () => {
    const app = createSSRApp({ render: () => null })
    expect(app.runWithContext(() => connectWhen(undefined))).toBe('never')
  })

  it('a component connects once mounted, which rendering on a server never does', async () => {
    expect(await inComponent()).toBe('mounted')
  })

  it('connectOnServer decides either way, whatever the context', async () => {
    expect(connectWhen(true)).toBe('now')
    expect(await inComponent(false)).toBe('never')
    const scope = effectScope(true)
    expect(scope.run(() => connectWhen(false))).toBe('never')
    scope.stop()
  })
})

describe('connectWhen in a browser (a document)', () => {
  it('a component connects once mounted', async () => {
    vi.stubGlobal('document', {})
    expect(await inComponent()).toBe('mounted')
  })

  it('a call that belongs to an app but no component connects once the app is ready', () => {
    vi.stubGlobal('document', {})
    const app = createApp({ render: () => null })
    expect(app.runWithContext(() => connectWhen(undefined))).toBe('app-ready')
  })

  it('anywhere else, now; connectOnServer is ignored', () => {
    vi.stubGlobal('document', {})
    expect(connectWhen(undefined)).toBe('now')
    expect(connectWhen(false)).toBe('now')
  })
})

describe('connectAt', () => {
  it('now connects at once; never never does', () => {
    const connect = vi.fn()
    connectAt('now', connect)
    expect(connect).toHaveBeenCalledOnce()
    connectAt('never', connect)
    expect(connect).toHaveBeenCalledOnce()
  })

  it('app-ready connects one task later, unless cancelled first', async () => {
    vi.useFakeTimers()
    const connect = vi.fn()
    connectAt('app-ready', connect)
    expect(connect).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(0)
    expect(connect).toHaveBeenCalledOnce()
    const cancelled = vi.fn()
    connectAt('app-ready', cancelled)()
    await vi.advanceTimersByTimeAsync(0)
    expect(cancelled).not.toHaveBeenCalled()
  })
})
