/**
 * What the client needs to know about its surroundings: whether the page is hidden and whether the
 * network is up. The core reads no browser globals; `pageSignals()` supplies the browser's.
 */
export interface PageSignals {
  /** Whether the page is hidden now. */
  hidden: () => boolean
  /** Whether the network is believed to be up. */
  online: () => boolean
  /** Calls `listener` after either of them changes; returns a function that stops it. */
  subscribe: (listener: () => void) => () => void
  /**
   * Calls `listener` when the page comes back from a state in which its connections may have died
   * unreported: restored from the back/forward cache, or resumed after being frozen. Optional.
   */
  subscribeRevive?: (listener: (reason: 'pageshow' | 'resume') => void) => () => void
}

/** Why the page asks for its connection to be replaced: a bfcache restore, a resume, or a long hide. */
export type ReviveReason = 'pageshow' | 'resume' | 'hidden'

/** Why the client holds off connecting. */
export type WaitReason = 'offline' | 'hidden'

/**
 * The page-signal gate: decides, from the page's visibility and network state, whether the client may
 * connect now, and wakes it when that changes. [NON-SPEC] the spec's EventSource knows neither.
 */
export interface SignalGate {
  /** Why connecting must wait now, or `null` when it may go ahead. */
  blocked: () => WaitReason | null
  /** Records that the client now waits for `reason` (`null`: it no longer waits). */
  waitFor: (reason: WaitReason | null) => void
  /** Starts listening to the page (once; later calls do nothing). */
  start: () => void
  /** Stops listening. */
  stop: () => void
}

/**
 * Creates the gate. Without `signals` the page counts as always visible and online. `pauseWhenHidden`
 * makes a hidden page a reason to wait. When the page changes, the gate calls `pause` (stop what is in
 * flight and wait for `reason` to pass) or `resume` (the reason to wait is gone, or the network came
 * back while `scheduled()` says a backoff is running; `cameOnline` says whether the network came back).
 */
export function createSignalGate(
  signals: PageSignals | undefined,
  pauseWhenHidden: boolean,
  pause: (reason: WaitReason) => void,
  resume: (cameOnline: boolean) => void,
  scheduled: () => boolean,
  revive: (reason: ReviveReason) => void = () => {},
  longHide = Infinity,
): SignalGate {
  // What the client waits for now; a change that removes it connects.
  let waitingFor: WaitReason | null = null
  // Whether the network was up at the last change, to tell "came back online" from any other change.
  let wasOnline = true
  // Removes the page listeners; `null` while not listening (the client is closed).
  let unsubscribe: (() => void) | null = null
  // When the page was last seen to become hidden (`Date.now()`), or `null` while it is visible.
  let hiddenSince: number | null = null

  function onChange(): void {
    const online = signals!.online()
    const cameOnline = online && !wasOnline
    wasOnline = online
    if (signals!.hidden()) {
      hiddenSince ??= Date.now()
    }
    else if (hiddenSince !== null) {
      // [NON-SPEC] back from a long hide, in which mobile browsers drop connections without a word
      const long = Date.now() - hiddenSince >= longHide
      hiddenSince = null
      if (long)
        revive('hidden')
    }
    if (pauseWhenHidden && signals!.hidden()) {
      if (waitingFor !== 'hidden')
        pause('hidden')
    }
    // Back online or visible again: connect at once instead of waiting out a backoff.
    else if (waitingFor !== null || (cameOnline && scheduled())) {
      resume(cameOnline)
    }
  }

  return {
    blocked: () => signals === undefined ? null : !signals.online() ? 'offline' : pauseWhenHidden && signals.hidden() ? 'hidden' : null,
    waitFor(reason) {
      waitingFor = reason
    },
    start() {
      if (signals === undefined || unsubscribe !== null)
        return
      wasOnline = signals.online()
      hiddenSince = signals.hidden() ? Date.now() : null
      const stopChanges = signals.subscribe(onChange)
      const stopRevive = signals.subscribeRevive?.(revive)
      unsubscribe = () => {
        stopChanges()
        stopRevive?.()
      }
    },
    stop() {
      unsubscribe?.()
      unsubscribe = null
    },
  }
}
