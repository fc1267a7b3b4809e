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
}

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
): SignalGate {
  // What the client waits for now; a change that removes it connects.
  let waitingFor: WaitReason | null = null
  // Whether the network was up at the last change, to tell "came back online" from any other change.
  let wasOnline = true
  // Removes the page listeners; `null` while not listening (the client is closed).
  let unsubscribe: (() => void) | null = null

  function onChange(): void {
    const online = signals!.online()
    const cameOnline = online && !wasOnline
    wasOnline = online
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
      unsubscribe = signals.subscribe(onChange)
    },
    stop() {
      unsubscribe?.()
      unsubscribe = null
    },
  }
}
