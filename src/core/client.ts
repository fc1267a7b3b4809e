import type { AttemptEnd } from './attempt'
import type { EventSourceError } from './errors'
import type { EventData, EventHandler, EventMap, EventSourceMessage, EventSourceOptions, EventSourceState, FetchLike, UrlSource } from './types'
import { runAttempt } from './attempt'
import { EventSourceDataError, EventSourceOptionError } from './errors'
import { Listeners } from './listeners'
import { resolveOptions } from './options'
import { createEventStreamParser } from './parse'
import { buildRequest } from './request'
import { retryDelay } from './retry'
import { readToken } from './token'
import { CLOSED, CONNECTING, OPEN } from './types'

/** A fetch-based Server-Sent Events connection that knows nothing of Vue. */
export interface EventSourceClient<Data = string, Events extends EventMap = Record<never, never>> {
  /** The live state; `subscribe` tells when it changes. */
  readonly state: Readonly<EventSourceState>
  /** Connects, or reconnects at once with the attempt count reset. */
  open: () => void
  /** Closes for good: aborts the request and clears every timer and page listener. `open()` starts again. */
  close: () => void
  /** Calls `handler` with every event of `type`, in order; returns a function that removes it. */
  on: <K extends string>(type: K, handler: EventHandler<EventData<Events, K, Data>, K>) => () => void
  /**
   * Calls `listener` after `readyState`, `error`, `attempt`, `retryDelay`/`retryAt` change, and after an
   * `id:` in a block without data changes `lastEventId` (messages carry their own `lastEventId`).
   */
  subscribe: (listener: (state: Readonly<EventSourceState>) => void) => () => void
}

type AnyHandler = (message: EventSourceMessage<unknown>) => void

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init)

/** Hands an error raised by an error callback to the console, the only place left to tell. */
function lastResort(error: unknown): void {
  globalThis.console?.error(error)
}

/** Reads a user getter; whatever it throws becomes a typed error naming the option. */
function read<T>(option: string, get: () => T): T {
  try {
    return get()
  }
  catch (error) {
    throw new EventSourceOptionError(option, `its getter threw: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * Creates a client. It connects on `open()`; it reconnects as the HTML spec's EventSource does (server
 * `retry:`, `Last-Event-ID`, 204 stops), plus backoff, token refresh, heartbeat and the departures marked
 * `[NON-SPEC]`.
 */
export function createEventSource<Data = string, Events extends EventMap = Record<never, never>>(
  url: UrlSource,
  options: EventSourceOptions<Data> = {},
): EventSourceClient<Data, Events> {
  const o = resolveOptions(options)
  const urlOf = typeof url === 'function' ? url : () => url
  const state: EventSourceState = { readyState: CLOSED, error: null, lastEventId: o.lastEventId, attempt: 0, retryDelay: null, retryAt: null }
  const handlers = new Listeners<AnyHandler>()
  const subscribers = new Set<(state: Readonly<EventSourceState>) => void>()
  const canPause = o.pauseWhenHidden && o.method === 'GET'

  // Every attempt gets a generation; anything an older generation reports is ignored.
  let generation = 0
  let controller: AbortController | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let active = false
  let waitingFor: 'offline' | 'hidden' | null = null
  let wasOnline = true
  let stopSignals: (() => void) | null = null
  let serverRetry: number | null = null
  // One immediate retry with a fresh token per 401/403 episode; reset when a connection opens.
  let refreshUsed = false
  let rejected: { token: string | null, error: EventSourceError } | null = null

  function notify(): void {
    for (const listener of subscribers) {
      try {
        listener(state)
      }
      catch (error) {
        lastResort(error)
      }
    }
  }

  function update(patch: Partial<EventSourceState>): void {
    let changed = false
    for (const key of Object.keys(patch) as (keyof EventSourceState)[]) {
      if (state[key] !== patch[key]) {
        (state as unknown as Record<string, unknown>)[key] = patch[key]
        changed = true
      }
    }
    if (changed)
      notify()
  }

  function report(error: EventSourceError): void {
    update({ error })
    tell(error)
  }

  function tell(error: EventSourceError): void {
    if (o.onError) {
      try {
        o.onError(error)
      }
      catch (thrown) {
        lastResort(thrown)
      }
    }
  }

  function call(handler: (message: EventSourceMessage<never>) => void, message: EventSourceMessage<unknown>): void {
    try {
      handler(message as EventSourceMessage<never>)
    }
    catch (cause) {
      // A handler's failure is the application's, not the stream's: report it and keep reading.
      report(new EventSourceDataError('handler', message, cause))
    }
  }

  // The handlers of the last event type delivered, kept until the type or any list changes: a stream
  // of one type looks its handlers up once, not once per event.
  let listType: string | null = null
  let listVersion = -1
  let list: readonly AnyHandler[] | undefined

  function deliver(gen: number, type: string, raw: string, lastEventId: string): void {
    if (gen !== generation)
      return
    state.lastEventId = lastEventId
    if (state.attempt !== 0)
      update({ attempt: 0 })
    let data: unknown = raw
    if (o.parse !== null) {
      try {
        data = o.parse(raw, { event: type, lastEventId })
      }
      catch (cause) {
        report(new EventSourceDataError('parse', { event: type, raw, lastEventId }, cause))
        if (type === o.closeEvent && gen === generation)
          close()
        return
      }
    }
    const message: EventSourceMessage<unknown> = { event: type, data, raw, lastEventId }
    if (o.onMessage)
      call(o.onMessage, message)
    if (type !== listType || handlers.version !== listVersion) {
      listType = type
      listVersion = handlers.version
      list = handlers.get(type)
    }
    const current = list
    if (current !== undefined) {
      for (let i = 0; i < current.length; i++)
        call(current[i]!, message)
    }
    if (type === o.closeEvent && gen === generation)
      close()
  }

  /** Stops everything in flight: the request, the retry timer, and (unless still wanted) page listeners. */
  function halt(): void {
    generation++
    clearTimeout(timer)
    timer = undefined
    controller?.abort()
    controller = null
    waitingFor = null
  }

  function shutdown(patch: Partial<EventSourceState> = {}): void {
    halt()
    active = false
    stopSignals?.()
    stopSignals = null
    update({ readyState: CLOSED, retryDelay: null, retryAt: null, ...patch })
  }

  function fail(error: EventSourceError): void {
    shutdown({ error })
    tell(error)
  }

  function wait(reason: 'offline' | 'hidden'): void {
    halt()
    waitingFor = reason
    update({ readyState: CONNECTING, retryDelay: null, retryAt: null })
  }

  function retry(error: EventSourceError | null, retryAfter: number | null): void {
    const policy = o.retry
    if (policy === null)
      return error === null ? shutdown() : fail(error)
    if (error !== null)
      report(error)
    // While offline, failures are not counted: the next attempt waits for the network to return.
    if (o.signals !== undefined && !o.signals.online())
      return wait('offline')
    const attempt = state.attempt + 1
    if (attempt > policy.retries) {
      shutdown({ attempt })
      if (policy.onFailed) {
        try {
          policy.onFailed(error)
        }
        catch (thrown) {
          lastResort(thrown)
        }
      }
      return
    }
    let delay: number
    try {
      delay = retryDelay(policy, attempt, error, serverRetry, retryAfter)
    }
    catch (thrown) {
      return fail(thrown as EventSourceError)
    }
    halt()
    update({ readyState: CONNECTING, attempt, retryDelay: delay, retryAt: Date.now() + delay })
    timer = setTimeout(connect, delay)
  }

  function settle(end: AttemptEnd, token: string | null): void {
    controller = null
    switch (end.kind) {
      case 'ended':
        // [spec] when the stream ends, reconnect with Last-Event-ID; a non-GET request is complete instead
        return o.method === 'GET' ? retry(null, null) : shutdown()
      case 'stop':
        // [spec] 204 No Content: stop, and do not reconnect
        return shutdown()
      case 'unauthorized':
        if (typeof o.token === 'function' && !refreshUsed) {
          refreshUsed = true
          rejected = { token, error: end.error }
          return connect(true)
        }
        return fail(end.error)
      case 'fail':
        return end.retryable ? retry(end.error, end.retryAfter) : fail(end.error)
      case 'aborted':
    }
  }

  async function run(gen: number, refresh: boolean): Promise<void> {
    const attemptController = new AbortController()
    controller = attemptController
    let request: ReturnType<typeof buildRequest>
    let token: string | null = null
    try {
      const target = read('url', urlOf)
      if (target === null || target === undefined || target === '')
        return shutdown()
      token = await readToken(o.token, { refresh }, o.tokenTimeout)
      if (gen !== generation)
        return
      // The getter had nothing fresher than the token just refused: that refusal is final.
      if (refresh && rejected !== null && token === rejected.token)
        return fail(rejected.error)
      request = buildRequest({
        url: target,
        method: o.method,
        headers: read('headers', o.headers),
        body: read('body', o.body),
        token,
        lastEventId: state.lastEventId,
        withCredentials: o.withCredentials,
      }, attemptController.signal)
    }
    catch (error) {
      if (gen !== generation)
        return
      const failure = error as EventSourceError
      return settle({ kind: 'fail', error: failure, retryable: failure.type === 'token', retryAfter: null }, token)
    }
    const parser = createEventStreamParser({
      onEvent: (type, data, id) => deliver(gen, type, data, id),
      onRetry: (milliseconds) => {
        if (gen === generation)
          serverRetry = milliseconds
      },
    }, o.maxEventSize)
    parser.reset(state.lastEventId)
    const end = await runAttempt(request.url, request.init, attemptController, {
      fetch: o.fetch ?? defaultFetch,
      heartbeatTimeout: o.heartbeatTimeout,
      opened: async (response) => {
        if (gen !== generation)
          return
        refreshUsed = false
        update({ readyState: OPEN, error: null, retryDelay: null, retryAt: null })
        await o.onOpen?.(response)
      },
      text: (text) => {
        parser.feed(text)
        // An id: in a block without data commits a new last event ID without any message to carry it.
        if (gen === generation && parser.lastEventId !== state.lastEventId)
          update({ lastEventId: parser.lastEventId })
      },
    })
    if (gen === generation)
      settle(end, token)
  }

  function connect(refresh = false): void {
    halt()
    if (o.signals !== undefined) {
      if (!o.signals.online())
        return wait('offline')
      if (canPause && o.signals.hidden())
        return wait('hidden')
    }
    update({ readyState: CONNECTING, retryDelay: null, retryAt: null })
    void run(generation, refresh)
  }

  function onSignals(): void {
    const signals = o.signals!
    const online = signals.online()
    const cameOnline = online && !wasOnline
    wasOnline = online
    if (!active)
      return
    if (canPause && signals.hidden()) {
      if (waitingFor !== 'hidden')
        wait('hidden')
      return
    }
    // Back online or visible again: connect at once instead of waiting out a backoff.
    if (waitingFor !== null || (cameOnline && timer !== undefined))
      connect()
  }

  function open(): void {
    active = true
    if (o.signals !== undefined && stopSignals === null) {
      wasOnline = o.signals.online()
      stopSignals = o.signals.subscribe(onSignals)
    }
    update({ attempt: 0 })
    refreshUsed = false
    connect()
  }

  function close(): void {
    shutdown()
  }

  function on<K extends string>(type: K, handler: EventHandler<EventData<Events, K, Data>, K>): () => void {
    if (typeof type !== 'string')
      throw new EventSourceOptionError('type', `expected an event type name, got ${typeof type}`)
    if (typeof handler !== 'function')
      throw new EventSourceOptionError('handler', `expected a function, got ${typeof handler}`)
    return handlers.add(type, handler as unknown as AnyHandler)
  }

  function subscribe(listener: (state: Readonly<EventSourceState>) => void): () => void {
    if (typeof listener !== 'function')
      throw new EventSourceOptionError('listener', `expected a function, got ${typeof listener}`)
    const entry = (value: Readonly<EventSourceState>): void => listener(value)
    subscribers.add(entry)
    return () => {
      subscribers.delete(entry)
    }
  }

  return { state, open, close, on, subscribe }
}
