import type { BenchClient, Delivered } from './types'
import { EventSource } from 'eventsource'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/** The `eventsource` package's `EventSource` (5.x, on eventsource-parser), reading through the given fetch. */
export const eventsourcePackage: BenchClient = {
  id: 'eventsource',
  label: 'eventsource 5 `EventSource`',
  runsIn: ['chromium', 'node'],
  kind: 'events',
  takesFetch: true,
  run({ url, workload, fetch, probe }): Promise<Delivered> {
    const done = deferred<Delivered>()
    let count = 0
    let checksum = SEED
    const source = new EventSource(url, { fetch })
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
