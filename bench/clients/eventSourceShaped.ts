import type { BenchClient, Delivered, RunContext } from './types'
import { fold, SEED } from '../checksum'
import { deferred, ended } from './types'

/** What the EventSource-shaped clients have in common: typed listeners, `onerror` and `close()`. */
export interface EventSourceLike {
  addEventListener: (type: string, listener: (event: { data: unknown, lastEventId: string }) => void) => void
  onerror: ((event: never) => void) | null
  close: () => void
}

/** A client's table entry, and how it opens its source for one run. */
export interface EventSourceShape extends Omit<BenchClient, 'kind' | 'run'> {
  open: (context: RunContext) => EventSourceLike
  /** What a failed run rejects with, from the error event; by default, that the stream ended early. */
  failure?: (event: unknown) => unknown
}

/**
 * A client run as the WHATWG interface is used: a listener for the workload's type folds each event's
 * data, the last one closes the source; an error event (the stream ended, so it would reconnect, or it
 * failed) ends the run.
 */
export function eventSourceClient({ open, failure, ...entry }: EventSourceShape): BenchClient {
  return {
    ...entry,
    kind: 'events',
    run(context): Promise<Delivered> {
      const { workload, probe } = context
      const done = deferred<Delivered>()
      let count = 0
      let checksum = SEED
      const source = open(context)
      source.addEventListener(workload.eventType, (event) => {
        checksum = fold(checksum, event.data as string)
        if (++count === workload.count) {
          probe()
          source.close()
          done.resolve({ count, checksum, lastEventId: event.lastEventId, dispose() {} })
        }
      })
      source.onerror = (event: unknown) => {
        source.close()
        done.reject(failure?.(event) ?? ended(count, workload.count))
      }
      return done.promise
    },
  }
}
