import type { Component } from 'vue'
import type { EnvName } from './plan'

/** What differs between running the clients in Node and in the page. */
export interface Env {
  name: EnvName
  fetch: typeof globalThis.fetch
  /** Mounts a component and returns its unmount. */
  mount: (component: Component) => () => void
  /** A full garbage collection, run before every timed run so no run pays for the previous one's garbage. */
  gc: () => void
  /** Live heap bytes after a full GC, ArrayBuffers included, for the memory table; `null` where the platform cannot tell. */
  liveHeap: (() => number) | null
  /**
   * Gives `window` and `document` stand-ins where the platform has none, for fetch-event-source (whose
   * cleanup calls `document.removeEventListener` and `window.clearTimeout`); returns the undo.
   */
  browserGlobals: () => () => void
}
