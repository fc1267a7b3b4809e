import type { BenchClient, Delivered } from './types'
import { DEFAULT_MAX_EVENT_SIZE } from '../../src/core/options'
import { fetchEventSource } from '../../src/fetch-event-source/index'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/**
 * Our drop-in `fetchEventSource` (vue-event-source/fetch-event-source), called as the
 * @microsoft/fetch-event-source client is. Its options have no `maxEventSize`, so it keeps the core's
 * default and sits out a bigger event.
 */
export const oursFetchEventSource: BenchClient = {
  id: 'ours-fetch-event-source',
  label: 'ours: drop-in `fetchEventSource`',
  runsIn: ['chromium', 'node'],
  kind: 'events',
  takesFetch: true,
  maxEventSize: DEFAULT_MAX_EVENT_SIZE,
  ours: true,
  run({ url, workload, fetch, probe }): Promise<Delivered> {
    const done = deferred<Delivered>()
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
          done.resolve({ count, checksum, lastEventId, dispose() {} })
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
      throw error
    })
  },
}
