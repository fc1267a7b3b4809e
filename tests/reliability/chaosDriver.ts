import type { EventSourceMessage, EventSourceOptions, EventSourceState, TokenGetter } from '../../src/core/types'
import type { RouteParams } from '../server/route'
import { performance } from 'node:perf_hooks'
import { effectScope, watch } from 'vue'
import { createClient } from '../../src/core/client'
import { EventSourceHttpError } from '../../src/core/errors'
import { CLOSED } from '../../src/core/types'
import { useClientRefs } from '../../src/useEventSource'
import { routeUrl } from '../server/route'
import { sleep } from '../support/helpers'

/** What the client under test did, each entry stamped with `performance.now()`. */
export interface Observed {
  messages: { id: number, data: string, at: number }[]
  errors: { kind: string, retryAfter: number | null, at: number }[]
  /** Every reconnection the client scheduled, with the attempt count the driver expected. */
  /** `due`: the client's own retryAt on this clock, whenever the state reached this listener. */
  schedules: { attempt: number, expectedAttempt: number, delay: number, retryAfter: number | null, at: number, due: number }[]
  /** Every time the client became CLOSED, and the error it kept. */
  closes: { error: string | null, at: number }[]
  /** When the driver called `open()` again after a close it did not ask for. */
  reopens: number[]
  refreshes: number
}

/** What the driver needs from a client: options in, a way to open and a way to be done with it. */
export interface ClientUnderTest {
  open: () => void
  dispose: () => void
}

export type ClientFactory = (url: string, options: EventSourceOptions, onState: (state: EventSourceState) => void) => ClientUnderTest

/** The core client, `createEventSource`. */
export const coreClient: ClientFactory = (url, options, onState) => {
  const client = createClient(url, options)
  client.subscribe(onState)
  return { open: client.open, dispose: client.close }
}

/** `useEventSource` in its own effect scope, as a store would hold it; disposing stops the scope. */
export const vueClient: ClientFactory = (url, options, onState) => {
  const scope = effectScope()
  const api = scope.run(() => {
    const api = useClientRefs<string, Record<never, never>>(url, { ...options, token: options.token as TokenGetter, headers: undefined, body: undefined, immediate: false })
    const snapshot = (): void => onState({
      readyState: api.readyState.value,
      error: api.error.value,
      lastEventId: api.lastEventId.value,
      attempt: api.attempt.value,
      retryDelay: api.retryDelay.value,
      retryAt: api.retryAt.value,
      done: api.done.value,
      resumeUrl: api.resumeUrl.value,
    })
    // The composable sets retryAt last, so the other refs are current when it changes; readyState is set
    // first, so its change is read once the others have caught up.
    watch(api.retryAt, snapshot, { flush: 'sync' })
    watch(api.readyState, () => queueMicrotask(snapshot), { flush: 'sync' })
    return api
  })!
  return { open: api.open, dispose: () => scope.stop() }
}

function errorKind(error: EventSourceState['error']): string | null {
  return error === null ? null : error instanceof EventSourceHttpError ? `http-status ${error.status}` : error.type
}

/**
 * Reads one chaos stream to its end with the client `make` builds: reopens it after each close the
 * server forced (204, wrong content type), as an application's "retry" button would, and disposes of it
 * once every event arrived and the final 204 closed it.
 */
export async function drive(make: ClientFactory, base: string, key: string, schedule: RouteParams['chaos'], events: number, deadline: number): Promise<Observed> {
  const observed: Observed = { messages: [], errors: [], schedules: [], closes: [], reopens: [], refreshes: 0 }
  let token: string | null = null
  let failuresInARow = 0
  let lastRetryAt: number | null = null
  let wasClosed = true
  let onClosed = (): void => {}
  const getToken: TokenGetter = async ({ refresh }) => {
    if (refresh)
      observed.refreshes++
    if (refresh || token === null)
      token = await (await fetch(routeUrl(base, 'chaos-token', { stream: key }))).text()
    return token
  }
  const client = make(routeUrl(base, 'chaos', { key, ...schedule }), {
    token: getToken,
    reconnect: { delay: 5, maxDelay: 50, jitter: 0.5 },
    // Long enough that a test process starved of CPU for a while (measured up to ~0.25 s on a loaded
    // 2-core machine) is not taken for a stalled server; each stall fault costs this long.
    heartbeatTimeout: 1000,
    onMessage: (message: EventSourceMessage) => {
      failuresInARow = 0
      observed.messages.push({ id: Number(message.lastEventId), data: message.raw, at: performance.now() })
    },
    onError: error => observed.errors.push({ kind: errorKind(error)!, retryAfter: error instanceof EventSourceHttpError ? error.retryAfter : null, at: performance.now() }),
  }, (state) => {
    if (state.retryAt !== null && state.retryAt !== lastRetryAt) {
      const retryAfter = state.error instanceof EventSourceHttpError ? state.error.retryAfter : null
      observed.schedules.push({ attempt: state.attempt, expectedAttempt: ++failuresInARow, delay: state.retryDelay!, retryAfter, at: performance.now(), due: performance.now() + (state.retryAt - Date.now()) })
    }
    lastRetryAt = state.retryAt
    if (state.readyState === CLOSED && !wasClosed) {
      observed.closes.push({ error: errorKind(state.error), at: performance.now() })
      onClosed()
    }
    wasClosed = state.readyState === CLOSED
  })
  const closed = (): Promise<void> => new Promise((resolve) => {
    onClosed = resolve
  })
  try {
    while (true) {
      const next = closed()
      client.open()
      await Promise.race([next, sleep(Math.max(0, deadline - performance.now()))])
      if (performance.now() >= deadline)
        throw new Error(`chaos stream ${key} did not finish in time: ${observed.messages.length} events so far`)
      if (observed.messages.at(-1)?.id === events)
        return observed
      // A close the server forced: wait longer than any backoff to see that no request follows, then reopen.
      failuresInARow = 0
      await sleep(80)
      observed.reopens.push(performance.now())
    }
  }
  finally {
    client.dispose()
  }
}
