import type { BenchClient, Delivered } from './types'
import { DEFAULT_MAX_EVENT_SIZE } from '../../src/core/options'
import { EventSource } from '../../src/eventsource/index'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/**
 * Our drop-in `EventSource` (vue-event-source/eventsource), as an app swaps it in for the browser's,
 * given the run's fetch and, as our other clients are, no reconnection: a bench stream ends after its
 * last event, and the core would reconnect while earlier events still wait for their tasks. The WHATWG
 * interface has no `maxEventSize`, so it keeps the core's default and sits out a bigger event.
 */
export const oursEventSource: BenchClient = {
  id: 'ours-eventsource',
  label: 'ours: drop-in `EventSource`',
  runsIn: ['chromium', 'node'],
  kind: 'events',
  takesFetch: true,
  maxEventSize: DEFAULT_MAX_EVENT_SIZE,
  ours: true,
  run({ url, workload, fetch, probe }): Promise<Delivered> {
    const done = deferred<Delivered>()
    let count = 0
    let checksum = SEED
    const source = new EventSource(url, { fetch, reconnect: false })
    source.addEventListener(workload.eventType, (event: MessageEvent<string>) => {
      checksum = fold(checksum, event.data)
      if (++count === workload.count) {
        probe()
        source.close()
        done.resolve({ count, checksum, lastEventId: event.lastEventId, dispose() {} })
      }
    })
    // Fired when the stream ends (it would then reconnect) or fails.
    source.onerror = (event) => {
      source.close()
      done.reject(event.error ?? ended(count, workload.count))
    }
    return done.promise
  },
}
