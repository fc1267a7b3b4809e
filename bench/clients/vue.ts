import type { BenchClient, Delivered } from './types'
import { defineComponent, h, nextTick, watch } from 'vue'
import { useEventSource } from '../../src/index'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/**
 * Our `useEventSource` in a mounted component, with its refs updated on every event (`flush: 'sync'`,
 * the default). Events are counted by an `on()` handler, which runs after the refs are set and folds the
 * `data` ref into the checksum. With `render`, the component renders `data`, and the run ends once the
 * last event is on screen.
 */
function inComponent(render: boolean): BenchClient {
  return {
    id: render ? 'vue-render' : 'vue-refs',
    label: render ? 'ours: `useEventSource` + render' : 'ours: `useEventSource` (refs)',
    runsIn: ['chromium', 'node'],
    kind: 'events',
    takesFetch: true,
    ours: true,
    run({ env, url, workload, fetch, probe }): Promise<Delivered> {
      const done = deferred<Delivered>()
      let count = 0
      let checksum = SEED
      let unmount = (): void => {}
      const Feed = defineComponent({
        setup() {
          const { data, lastEventId, status, error, close, on } = useEventSource(url, {
            fetch,
            maxEventSize: workload.maxEventSize,
            reconnect: false,
            events: workload.eventType === 'message' ? [] : [workload.eventType],
          })
          on(workload.eventType, () => {
            checksum = fold(checksum, data.value!)
            if (++count === workload.count) {
              probe()
              close()
              const result = { count, checksum, lastEventId: lastEventId.value, dispose: () => unmount() }
              if (render)
                void nextTick(() => done.resolve(result))
              else
                done.resolve(result)
            }
          })
          watch(status, (value) => {
            if (value === 'CLOSED' && count < workload.count)
              done.reject(error.value ?? ended(count, workload.count))
          }, { flush: 'sync' })
          return render ? () => h('p', data.value ?? '') : () => null
        },
      })
      unmount = env.mount(Feed)
      return done.promise
    },
  }
}

export const vueRefs = inComponent(false)
export const vueRender = inComponent(true)
