import type { BenchClient, Delivered } from './types'
import { useEventSource } from '@vueuse/core'
import { defineComponent, h, nextTick, watch } from 'vue'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/**
 * VueUse's `useEventSource` (over the browser's EventSource) in a mounted component. Counted as ours is:
 * a listener added to the EventSource it exposes runs after VueUse's own (which set the refs) and folds
 * the `data` ref into the checksum. A watcher on `data` would miss identical consecutive events.
 */
function inComponent(render: boolean): BenchClient {
  return {
    id: render ? 'vueuse-render' : 'vueuse',
    label: render ? 'VueUse `useEventSource` + render' : 'VueUse `useEventSource`',
    runsIn: ['chromium'],
    kind: 'events',
    takesFetch: false,
    run({ env, url, workload, probe }): Promise<Delivered> {
      const done = deferred<Delivered>()
      let count = 0
      let checksum = SEED
      let unmount = (): void => {}
      const Feed = defineComponent({
        setup() {
          const { data, lastEventId, error, close, eventSource } = useEventSource<string[], string>(url, workload.eventType === 'message' ? [] : [workload.eventType])
          eventSource.value!.addEventListener(workload.eventType, () => {
            checksum = fold(checksum, data.value!)
            if (++count === workload.count) {
              probe()
              close()
              const result = { count, checksum, lastEventId: lastEventId.value ?? '', dispose: () => unmount() }
              if (render)
                void nextTick(() => done.resolve(result))
              else
                done.resolve(result)
            }
          })
          watch(error, (value) => {
            if (value !== null && count < workload.count) {
              close()
              done.reject(ended(count, workload.count))
            }
          }, { flush: 'sync' })
          return render ? () => h('p', data.value ?? '') : () => null
        },
      })
      unmount = env.mount(Feed)
      return done.promise
    },
  }
}

export const vueuse = inComponent(false)
export const vueuseRender = inComponent(true)
