import type { BenchClient, Delivered } from './types'
import { defineComponent, h, nextTick, watch } from 'vue'
import { useEventSource } from '../../src/index'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/**
 * Our `useEventSource` in a mounted component, with its defaults: `data`, `event` and `lastEventId` catch
 * up once per microtask (`flush: 'microtask'`), the other refs at once. Events are counted by an `on()`
 * handler, which folds each event's data into the checksum; the run ends once the refs have caught up
 * with the last event (checked), or, with `render`, once the component has rendered `data`.
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
          on(workload.eventType, ({ data: value }) => {
            checksum = fold(checksum, value)
            if (++count === workload.count) {
              probe()
              close()
              // After the refs' microtask (and, with render, the render): they hold the last event.
              const finish = (): void => {
                if (data.value !== value)
                  return done.reject(new Error('the data ref does not hold the last event'))
                done.resolve({ count, checksum, lastEventId: lastEventId.value, dispose: () => unmount() })
              }
              void (render ? nextTick(finish) : Promise.resolve().then(finish))
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
