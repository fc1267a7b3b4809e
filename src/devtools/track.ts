/**
 * Vue DevTools, for the composables: records their streams and installs the plugin in their app.
 *
 * Everything here runs only where the composables test `__DEV__`, which every build of src/ writes out at
 * each use as `process.env.NODE_ENV !== 'production'` (tests/support/devFlag.ts). An app's bundler (and
 * Vite's dev server) replaces `process.env.NODE_ENV`, as Vue's own
 * esm-bundler build needs; in a production build the test folds to `false` in place, and this module and
 * `@vue/devtools-api` (both free of side effects) are dropped. esbuild does not fold a module-level
 * constant holding the test, so there is none. Vue's `__VUE_PROD_DEVTOOLS__` flag is not consulted: an app
 * that leaves it undefined would keep this code in its production bundle. tests/treeShaking.test.ts holds
 * every use to "nowhere in production".
 */
import type { App, Ref } from 'vue'
import type { StreamInit, StreamTracker } from './streams'
import { getCurrentInstance, watch } from 'vue'
import { DEFAULT_CONNECT_TIMEOUT } from '../core/internal'
import { tryOnScopeDispose } from '../tryOnScopeDispose'
import { installDevtools } from './install'
import { trackStream } from './streams'

const installed = new WeakSet<App>()
const VUE_FILE = /\.vue$/

/** The name Vue DevTools gives the calling component, or where the call came from. */
export function callerName(): string {
  const instance = getCurrentInstance()
  if (instance === null)
    return '(no component)'
  const type = instance.type as { name?: string, __name?: string, __file?: string }
  return type.name ?? type.__name ?? type.__file?.split('/').pop()?.replace(VUE_FILE, '') ?? 'Anonymous'
}

/** The options a record shows: numbers and names, and whether a token is set, never its value. */
export interface TrackedOptions { method?: string, token?: unknown, heartbeatTimeout?: number, connectTimeout?: number }

/**
 * Records a stream for Vue DevTools and, in a browser, installs the DevTools plugin in the calling
 * component's app (once per app). With `subscriber`, the stream is the caller's own and goes with its
 * scope. Undefined outside a browser.
 */
export function trackForDevtools(kind: string, options: TrackedOptions, parts: Pick<StreamInit, 'url' | 'key' | 'client' | 'open' | 'close' | 'crossTab'>, subscriber?: string): StreamTracker | undefined {
  if (typeof document === 'undefined')
    return undefined
  const app = getCurrentInstance()?.appContext.app
  if (app !== undefined && !installed.has(app)) {
    installed.add(app)
    installDevtools(app)
  }
  const tracker = trackStream({
    ...parts,
    kind,
    method: (options.method ?? 'GET').toUpperCase(),
    token: options.token !== undefined && options.token !== null,
    heartbeatTimeout: options.heartbeatTimeout ?? 0,
    connectTimeout: options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT,
  })
  if (subscriber !== undefined) {
    tracker.addSubscriber(subscriber)
    tryOnScopeDispose(tracker.dispose)
  }
  return tracker
}

/** Counts the calling component among the subscribers of whichever shared stream it holds, while it holds it. */
export function followSubscriber(stream: Readonly<Ref<{ devtools?: StreamTracker } | null>>): void {
  const name = callerName()
  const stop = watch(stream, (next, previous) => {
    previous?.devtools?.removeSubscriber(name)
    next?.devtools?.addSubscriber(name)
  }, { immediate: true, flush: 'sync' })
  tryOnScopeDispose(() => {
    stop()
    stream.value?.devtools?.removeSubscriber(name)
  })
}
