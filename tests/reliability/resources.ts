import type { PageSignals } from '../../src/core/signals'
import process from 'node:process'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** Page signals that count their listeners: a visible, online page. */
export function countingSignals(): PageSignals & { readonly listeners: number, readonly subscriptions: number } {
  let listeners = 0
  let subscriptions = 0
  return {
    hidden: () => false,
    online: () => true,
    subscribe() {
      listeners++
      subscriptions++
      let subscribed = true
      return () => {
        if (subscribed)
          listeners--
        subscribed = false
      }
    },
    get listeners() {
      return listeners
    },
    get subscriptions() {
      return subscriptions
    },
  }
}

/** Open handles of this process by kind, as Node counts them: `Timeout`, `TCPSocketWrap`, … */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo())
    counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

// The collector, exposed at run time (as `--expose-gc` would) so heap figures count live objects only.
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

/** Bytes of live heap, after two full collections. */
export function liveHeap(): number {
  collect()
  collect()
  return process.memoryUsage().heapUsed
}

export const MiB = 1024 * 1024
