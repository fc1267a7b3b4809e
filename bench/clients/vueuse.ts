import type { Ref } from 'vue'
import type { BenchClient, Delivered } from './types'
import { useEventSource as useEventSource14 } from '@vueuse/core'
import { defineComponent, h, nextTick, watch } from 'vue'
import { useEventSource as useEventSource15 } from 'vueuse-core-15'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/** What the bench uses of VueUse's `useEventSource`, the same in 14 and 15. */
type UseEventSource = (url: string, events: string[]) => {
  data: Readonly<Ref<string | null>>
  lastEventId: Readonly<Ref<string | null>>
  error: Readonly<Ref<Event | null>>
  eventSource: Readonly<Ref<EventSource | null>>
  close: () => void
}

/**
 * VueUse's `useEventSource` (over the browser's EventSource) in a mounted component. Counted as ours is:
 * a listener added to the EventSource it exposes runs after VueUse's own (which set the refs) and folds
 * the `data` ref into the checksum. A watcher on `data` would miss identical consecutive events.
 */
function inComponent(useEventSource: UseEventSource, version: string, id: string, render: boolean): BenchClient {
  return {
    id,
    label: `VueUse ${version} \`useEventSource\`${render ? ' + render' : ''}`,
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
          const { data, lastEventId, error, close, eventSource } = useEventSource(url, workload.eventType === 'message' ? [] : [workload.eventType])
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

export const vueuse = inComponent(useEventSource14, '14', 'vueuse', false)
export const vueuseRender = inComponent(useEventSource14, '14', 'vueuse-render', true)
export const vueuse15 = inComponent(useEventSource15, '15', 'vueuse15', false)
