import type { MessageEvent as PolyfillMessageEvent } from 'event-source-polyfill'
import type { BenchClient, Delivered } from './types'
import { EventSourcePolyfill } from 'event-source-polyfill'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/**
 * event-source-polyfill's `EventSourcePolyfill`. In a browser with fetch streams it reads with the
 * `fetch` it found when it was loaded (else XHR) and cannot be given another, so it sits out the
 * workload read in pieces, as the browser's `EventSource` does.
 */
export const eventSourcePolyfill: BenchClient = {
  id: 'event-source-polyfill',
  label: 'event-source-polyfill 1.0 `EventSourcePolyfill`',
  runsIn: ['chromium'],
  kind: 'events',
  takesFetch: false,
  run({ url, workload, probe }): Promise<Delivered> {
    const done = deferred<Delivered>()
    let count = 0
    let checksum = SEED
    const source = new EventSourcePolyfill(url)
    source.addEventListener(workload.eventType, (event) => {
      const { data, lastEventId } = event as PolyfillMessageEvent
      checksum = fold(checksum, data as string)
      if (++count === workload.count) {
        probe()
        source.close()
        done.resolve({ count, checksum, lastEventId, dispose() {} })
      }
    })
    // Fired when the stream ends (it would then reconnect) or fails.
    source.onerror = () => {
      source.close()
      done.reject(ended(count, workload.count))
    }
    return done.promise
  },
}
