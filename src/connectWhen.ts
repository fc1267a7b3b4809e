import { getCurrentInstance, getCurrentScope, hasInjectionContext, onMounted } from 'vue'

/**
 * When a composable may connect, decided where it is called:
 * - `mounted`: in a component, once it mounts (after hydration; never during server-side rendering, where
 *   components do not mount; a custom renderer in Node, which does mount them, connects);
 * - `app-ready`: in the browser, for a call that belongs to an app but no component (`app.runWithContext`,
 *   as Nuxt runs its plugins; a store set up outside a component; not a plain Vue plugin's `install`, which
 *   runs with no injection context and so connects `now`): one task later, once the app has mounted
 *   and hydrated what the server rendered, so the refs hydrate with the state the server rendered;
 * - `now`: anywhere else in the browser, and in a detached `effectScope()` on a server (tests, scripts,
 *   workers using Vue's reactivity);
 * - `never`: on a server (no `document`), for a call that belongs to an app but no component (the
 *   continuation of a hand-written `async setup()` after an `await`, `app.runWithContext`, a plugin) or
 *   that has neither an effect scope nor a component.
 *   Such a call renders the initial state, the one the browser hydrates with, and never connects.
 */
export type ConnectWhen = 'mounted' | 'app-ready' | 'now' | 'never'

/**
 * Decides when to connect from the runtime and the calling context; `connectOnServer` forces either way
 * on a server (`true`: connect now, `false`: never).
 */
export function connectWhen(connectOnServer: boolean | undefined): ConnectWhen {
  if (typeof document === 'undefined') {
    if (connectOnServer !== undefined)
      return connectOnServer ? 'now' : 'never'
    // A component never mounts while it renders on a server (a custom renderer in Node does mount it).
    if (getCurrentInstance())
      return 'mounted'
    return hasInjectionContext() || !getCurrentScope() ? 'never' : 'now'
  }
  return getCurrentInstance() ? 'mounted' : hasInjectionContext() ? 'app-ready' : 'now'
}

/** Runs `connect` when `when` says, and never for `never`; returns a function that cancels a connect still to come. */
export function connectAt(when: ConnectWhen, connect: () => void): () => void {
  let cancelled = false
  const run = (): void => {
    if (!cancelled)
      connect()
  }
  if (when === 'mounted')
    onMounted(run)
  else if (when === 'app-ready')
    setTimeout(run, 0)
  else if (when === 'now')
    run()
  return () => {
    cancelled = true
  }
}

/** Warns, in development, that a composable called outside any effect scope is never released. */
export function warnIfUnowned(name: string): void {
  if (__DEV__ && !getCurrentScope()) {
    console.warn(`[vue-event-source] ${name}() outside any effect scope: it will never be released; close() it yourself`)
  }
}
