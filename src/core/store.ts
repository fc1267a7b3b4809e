import type { EventSourceState } from './types'
import { callSafely } from './errors'
import { CLOSED } from './types'
import { checkFunction } from './validate'

/** The state object every source exposes, and who to tell when it changes. */
export interface StateStore {
  /** Live: read it any time. */
  readonly state: EventSourceState
  /** Applies the changed fields and tells subscribers once, if anything changed. */
  update: (patch: Partial<EventSourceState>) => void
  subscribe: (listener: (state: Readonly<EventSourceState>) => void) => () => void
}

export function createStateStore(lastEventId: string): StateStore {
  const state: EventSourceState = { readyState: CLOSED, error: null, lastEventId, attempt: 0, retryDelay: null, retryAt: null, done: false, resumeUrl: null }
  const subscribers = new Set<(state: Readonly<EventSourceState>) => void>()
  return {
    state,
    update(patch) {
      let changed = false
      for (const key of Object.keys(patch) as (keyof EventSourceState)[]) {
        if (state[key] !== patch[key]) {
          (state as unknown as Record<string, unknown>)[key] = patch[key]
          changed = true
        }
      }
      if (!changed)
        return
      // A subscriber's failure must not stop the others or the stream.
      for (const listener of subscribers)
        callSafely(listener, state)
    },
    subscribe(listener) {
      if (__DEV__)
        checkFunction('listener', listener)
      const entry = (value: Readonly<EventSourceState>): void => listener(value)
      subscribers.add(entry)
      return () => {
        subscribers.delete(entry)
      }
    },
  }
}
