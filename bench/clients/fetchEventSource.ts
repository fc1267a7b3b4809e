import type { BenchClient, Delivered } from './types'
import { fetchEventSource } from '@microsoft/fetch-event-source'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/** @microsoft/fetch-event-source's `fetchEventSource`, kept open in hidden tabs as a benchmark needs. */
export const fetchEventSourceClient: BenchClient = {
  id: 'fetch-event-source',
  label: '@microsoft/fetch-event-source 2 `fetchEventSource`',
  runsIn: ['chromium', 'node'],
  kind: 'events',
  takesFetch: true,
  run({ env, url, workload, fetch, probe }): Promise<Delivered> {
    const done = deferred<Delivered>()
    const restore = env.browserGlobals()
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
        if (message.id !== '')
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
