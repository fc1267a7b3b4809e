import type { BenchClient, Delivered } from './types'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/** The browser's own `EventSource`. */
export const native: BenchClient = {
  id: 'native',
  label: 'native `EventSource`',
  runsIn: ['chromium'],
  kind: 'events',
  takesFetch: false,
  run({ url, workload, probe }): Promise<Delivered> {
    const done = deferred<Delivered>()
    let count = 0
    let checksum = SEED
    const source = new EventSource(url)
    source.addEventListener(workload.eventType, (event: MessageEvent<string>) => {
      checksum = fold(checksum, event.data)
      if (++count === workload.count) {
        probe()
        source.close()
        done.resolve({ count, checksum, lastEventId: event.lastEventId, dispose() {} })
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
