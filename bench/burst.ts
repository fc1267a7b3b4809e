import type { UseEventSourceReturn } from '../src/index'
import type { Env } from './env'
import type { BurstInfo, BurstSample } from './plan'
import { defineComponent, h, onUpdated, watch } from 'vue'
import { useEventSource } from '../src/index'
import { fold, SEED } from './checksum'
import { deferred } from './clients/types'

export const FLUSH_MODES = ['sync', 'microtask', 'frame'] as const

const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/**
 * One paced burst into a component that renders `data`, with `flush: mode`. An `on('message')` handler
 * counts every event and folds its data and id into a checksum; a sync watcher counts `data` changes;
 * `onUpdated` counts renders. After the last event, one more frame lets the refs catch up.
 */
export async function runBurst(env: Env, url: string, info: BurstInfo, mode: BurstSample['mode'], round: number, timeout: number): Promise<BurstSample> {
  const finished = deferred<void>()
  let handled = 0
  let checksum = SEED
  let first = 0
  let last = 0
  let refUpdates = 0
  let renders = 0
  let api!: UseEventSourceReturn
  const Feed = defineComponent({
    setup() {
      api = useEventSource(url, { flush: mode, reconnect: false })
      api.on('message', ({ data, lastEventId }) => {
        if (handled === 0)
          first = performance.now()
        handled++
        checksum = fold(fold(checksum, data), lastEventId)
        if (handled === info.count) {
          last = performance.now()
          finished.resolve()
        }
      })
      watch(api.data, () => refUpdates++, { flush: 'sync' })
      watch(api.status, (status) => {
        if (status === 'CLOSED')
          finished.resolve()
      })
      onUpdated(() => renders++)
      return () => h('p', api.data.value ?? '')
    },
  })
  env.gc()
  const unmount = env.mount(Feed)
  const timer = setTimeout(finished.resolve, timeout)
  await finished.promise
  clearTimeout(timer)
  if (last === 0)
    last = performance.now()
  await pause(50)
  const sample: BurstSample = {
    env: env.name,
    mode,
    round,
    ms: last - first,
    handled,
    lost: info.count - handled,
    checksumOk: checksum === info.checksum,
    refUpdates,
    renders,
    refsCaughtUp: api.data.value === info.lastData && api.lastEventId.value === info.lastEventId,
  }
  unmount()
  return sample
}
