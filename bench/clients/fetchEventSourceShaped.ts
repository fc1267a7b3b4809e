import type { FetchEventSourceInit } from '@microsoft/fetch-event-source'
import type { BenchClient, Delivered } from './types'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/** A client's table entry, the `fetchEventSource` it calls, and whether that needs a page's globals. */
export interface FetchEventSourceShape extends Omit<BenchClient, 'kind' | 'takesFetch' | 'run'> {
  fetchEventSource: (url: string, init: FetchEventSourceInit) => Promise<void>
  /** @microsoft/fetch-event-source reads `document` and `window`, which Node lacks. */
  browserGlobals: boolean
}

/**
 * A client run as @microsoft/fetch-event-source is used, kept open in hidden tabs as a benchmark needs:
 * `onmessage` folds each event's data, the last one aborts; a stream that closes early or fails ends
 * the run, never retried.
 */
export function fetchEventSourceClient({ fetchEventSource, browserGlobals, ...entry }: FetchEventSourceShape): BenchClient {
  return {
    ...entry,
    kind: 'events',
    takesFetch: true,
    run({ env, url, workload, fetch, probe }): Promise<Delivered> {
      const done = deferred<Delivered>()
      const restore = browserGlobals ? env.browserGlobals() : () => {}
      const controller = new AbortController()
      let count = 0
      let checksum = SEED
      let lastEventId = ''
      fetchEventSource(url, {
        fetch,
        signal: controller.signal,
        openWhenHidden: true,
        onmessage(message) {
          checksum = fold(checksum, message.data)
          lastEventId = message.id
          if (++count === workload.count) {
            probe()
            controller.abort()
            done.resolve({ count, checksum, lastEventId, dispose: restore })
          }
        },
        onclose() {
          if (count < workload.count)
            done.reject(ended(count, workload.count))
        },
        onerror(error) {
          throw error // no retry: a failure ends the run
        },
      }).catch(done.reject)
      return done.promise.catch((error: unknown) => {
        controller.abort()
        restore()
        throw error
      })
    },
  }
}
