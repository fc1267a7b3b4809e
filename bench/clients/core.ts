import type { BenchClient, Delivered } from './types'
import { createEventSource } from '../../src/core/index'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/** Our framework-agnostic client, `createEventSource`, with an `on()` handler for the workload's type. */
export const core: BenchClient = {
  id: 'core',
  label: 'ours: core `createEventSource`',
  runsIn: ['chromium', 'node'],
  kind: 'events',
  takesFetch: true,
  ours: true,
  run({ url, workload, fetch, probe }): Promise<Delivered> {
    const done = deferred<Delivered>()
    let count = 0
    let checksum = SEED
    const source = createEventSource(url, { fetch, maxEventSize: workload.maxEventSize, reconnect: false })
    source.on(workload.eventType, ({ data, lastEventId }) => {
      checksum = fold(checksum, data)
      if (++count === workload.count) {
        probe()
        source.close()
        done.resolve({ count, checksum, lastEventId, dispose() {} })
      }
    })
    source.subscribe((state) => {
      if (state.readyState === 2 && count < workload.count)
        done.reject(state.error ?? ended(count, workload.count))
    })
    source.open()
    return done.promise
  },
}
