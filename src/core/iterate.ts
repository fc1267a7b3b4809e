import type { EventSourceClient } from './client'
import type { EventMap, EventSourceMessage } from './types'
import { CLOSED } from './types'

/**
 * The events of `client` as an async iterator, for code that consumes streams (`for await`, TanStack
 * Query's `streamedQuery`) rather than callbacks. It opens the client if it is closed. Events are queued
 * while nobody awaits, so none is lost. The iteration ends when the client closes for good: cleanly (a
 * 204, the close event or data, `close()`) it is done; with an error (`state.error`) it throws that error,
 * after the events already queued. `break`, `return` or a `throw` into it closes the client, and so does
 * aborting `options.signal` (TanStack Query passes one, aborted when no observer is left), which ends it.
 *
 * @example
 * for await (const { data } of iterateEvents(createEventSource('/api/prices', { parse: 'json' })))
 *   render(data)
 */
export function iterateEvents<Data, Events extends EventMap = Record<never, never>>(
  client: EventSourceClient<Data, Events>,
  options: { signal?: AbortSignal } = {},
): AsyncIterableIterator<EventSourceMessage<Data>> {
  const queue: EventSourceMessage<Data>[] = []
  // The reader waiting for the next event, if any.
  let wake: (() => void) | null = null
  // Set once the client has closed for good (or the iteration was left): nothing more will come.
  let ended = false
  const notify = (): void => {
    const waiting = wake
    wake = null
    waiting?.()
  }
  const stopListening = client.listen((message) => {
    queue.push(message)
    notify()
  })
  const stopFollowing = client.subscribe((state) => {
    if (state.readyState === CLOSED) {
      ended = true
      notify()
    }
  })
  const { signal } = options
  function finish(): void {
    ended = true
    stopListening()
    stopFollowing()
    signal?.removeEventListener('abort', onAbort)
    client.close()
  }
  function onAbort(): void {
    queue.length = 0
    finish()
    notify()
  }
  if (signal?.aborted)
    finish()
  else if (client.state.readyState === CLOSED)
    client.open()
  signal?.addEventListener('abort', onAbort, { once: true })

  const iterator: AsyncIterableIterator<EventSourceMessage<Data>> = {
    async next() {
      while (true) {
        if (queue.length > 0)
          return { done: false, value: queue.shift()! }
        if (ended) {
          const error = signal?.aborted ? null : client.state.error
          finish()
          if (error !== null)
            throw error
          return { done: true, value: undefined }
        }
        await new Promise<void>((resolve) => {
          wake = resolve
        })
      }
    },
    async return() {
      queue.length = 0
      finish()
      return { done: true, value: undefined }
    },
    async throw(error?: unknown) {
      queue.length = 0
      finish()
      throw error
    },
    [Symbol.asyncIterator]() {
      return iterator
    },
  }
  return iterator
}
