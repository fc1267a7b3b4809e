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
