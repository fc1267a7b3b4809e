/**
 * What the client needs to know about its surroundings: whether the page is hidden and whether the
 * network is up. The core reads no browser globals; `pageSignals()` supplies the browser's. What a change
 * means is policy.ts's `pageDecision`; this only tells what changed.
 */
import type { PageEvent, PageState } from './policy'

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

/** The page now, or `null` without signals (then it counts as always visible and online). */
export function readPage(signals: PageSignals | undefined): PageState | null {
  return signals === undefined ? null : { hidden: signals.hidden(), online: signals.online() }
}

/**
 * Follows the page: calls `listener` with each change, told whether the network just came back and, when
 * the page just became visible, how long it was hidden. Returns a function that stops following.
 */
export function followPage(signals: PageSignals, listener: (event: PageEvent) => void): () => void {
  // Whether the network was up at the last change, to tell "came back online" from any other change.
  let wasOnline = signals.online()
  // When the page was last seen to become hidden (`Date.now()`), or `null` while it is visible.
  let hiddenSince = signals.hidden() ? Date.now() : null
  const stopChanges = signals.subscribe(() => {
    const page = readPage(signals)!
    const cameOnline = page.online && !wasOnline
    wasOnline = page.online
    let hiddenFor: number | null = null
    if (page.hidden) {
      hiddenSince ??= Date.now()
    }
    else if (hiddenSince !== null) {
      hiddenFor = Date.now() - hiddenSince
      hiddenSince = null
    }
    listener({ kind: 'change', page, cameOnline, hiddenFor })
  })
  const stopRevive = signals.subscribeRevive?.(reason => listener({ kind: 'revive', reason }))
  return () => {
    stopChanges()
    stopRevive?.()
  }
}
