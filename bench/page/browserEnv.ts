import type { Env } from '../env'
import { createApp } from 'vue'

interface ChromiumExtras {
  /** With `--js-flags=--expose-gc`. */
  gc?: () => void
}
interface ChromiumPerformance {
  /** Non-standard; exact with `--enable-precise-memory-info`; counts ArrayBuffers too. */
  memory?: { usedJSHeapSize: number }
}

const gc = (globalThis as ChromiumExtras).gc
// Each read of `performance.memory` is a new snapshot: it must be read afresh for every sample.
const memory = (): ChromiumPerformance['memory'] => (performance as ChromiumPerformance).memory

/** Chromium: the page's fetch, real DOM components, the JS heap from performance.memory. */
export const browserEnv: Env = {
  name: 'chromium',
  fetch: (input, init) => globalThis.fetch(input, init),
  mount(component) {
    const element = document.createElement('div')
    document.body.append(element)
    const app = createApp(component)
    app.mount(element)
    return () => {
      app.unmount()
      element.remove()
    }
  },
  gc: () => gc?.(),
  liveHeap: gc === undefined || memory() === undefined
    ? null
    : () => {
        gc()
        return memory()!.usedJSHeapSize
      },
  browserGlobals: () => () => {},
}
