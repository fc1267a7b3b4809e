import type { ShallowRef } from 'vue'
import type { EventData, EventHandler, EventMap, EventSourceError, EventSourceMessage, EventSourceReadyState, EventSourceState, EventType } from './core/index'
import type { Source } from './core/internal'
import type { FlushMode } from './platform/batcher'
import { shallowRef } from 'vue'
import { CLOSED, EventSourceOptionError } from './core/index'
import { checkEventType, checkFunction, checkOneOf } from './core/internal'
import { createBatcher } from './platform/batcher'
import { tryOnScopeDispose } from './tryOnScopeDispose'

/** What one caller of a composable configures for itself, even when the connection is shared. */
export interface BindingOptions<Data> {
  events: readonly string[]
  flush: FlushMode
  onMessage: ((message: EventSourceMessage<Data>) => void) | undefined
  onError: ((error: EventSourceError) => void) | undefined
  lastEventId: string
}

/** The refs a composable returns. */
export interface StreamRefs<Data> {
  readyState: ShallowRef<EventSourceReadyState>
  data: ShallowRef<Data | null>
  event: ShallowRef<string | null>
  lastEventId: ShallowRef<string>
  error: ShallowRef<EventSourceError | null>
  attempt: ShallowRef<number>
  retryDelay: ShallowRef<number | null>
  retryAt: ShallowRef<number | null>
  done: ShallowRef<boolean>
  resumeUrl: ShallowRef<string | null>
}

export interface Binding<Data, Events extends EventMap> {
  refs: StreamRefs<Data>
  on: <K extends EventType<Events>>(type: K, handler: EventHandler<EventData<Events, K, Data>, K>) => () => void
  /** Follows `source` from now on (and no longer the previous one); `on()` handlers move along. */
  attach: (source: Source<Data, Events>) => void
  /** Stops following, removes every handler, drops a pending flush. */
  dispose: () => void
}

/**
 * Turns a source (a client, or a shared one) into refs for one caller: state and events flow in, with
 * ref updates batched as `flush` says, while the caller's `on()` handlers get every event at once.
 */
export function bindSource<Data, Events extends EventMap>(options: BindingOptions<Data>): Binding<Data, Events> {
  const { events, flush, onMessage, onError } = options
  if (!Array.isArray(events) || events.some(type => typeof type !== 'string'))
    throw new EventSourceOptionError('events', __DEV__ ? 'expected an array of event type names' : '')
  if (__DEV__) {
    checkOneOf('flush', flush, ['sync', 'microtask', 'frame'])
    checkFunction('onMessage', onMessage, true)
    checkFunction('onError', onError, true)
  }
  const named = new Set<string>(['message', ...events])
  // The types whose data this caller reads (all of them with an onMessage): no other type is parsed for it.
  const dataOf = onMessage === undefined ? [...named] : undefined
  // Whether the last event type seen updates data/event: a stream of one type checks the set once.
  let lastType: string | null = null
  let lastNamed = false
  const isNamed = (type: string): boolean => {
    if (type !== lastType) {
      lastType = type
      lastNamed = named.has(type)
    }
    return lastNamed
  }

  const refs: StreamRefs<Data> = {
    readyState: shallowRef<EventSourceReadyState>(CLOSED),
    data: shallowRef<Data | null>(null),
    event: shallowRef<string | null>(null),
    lastEventId: shallowRef(options.lastEventId),
    error: shallowRef<EventSourceError | null>(null),
    attempt: shallowRef(0),
    retryDelay: shallowRef<number | null>(null),
    retryAt: shallowRef<number | null>(null),
    done: shallowRef(false),
    resumeUrl: shallowRef<string | null>(null),
  }

  // With a batching flush, the newest event that updates data/event, and the newest last event ID
  // (from a message or from an id-only block), wait here for the next flush.
  let latest: EventSourceMessage<Data> | null = null
  let latestId = options.lastEventId
  const batcher = flush === 'sync'
    ? null
    : createBatcher(flush, () => {
        refs.lastEventId.value = latestId
        if (latest !== null) {
          refs.event.value = latest.event
          refs.data.value = latest.data
          latest = null
        }
      })

  function receive(message: EventSourceMessage<Data>): void {
    if (batcher === null) {
      refs.lastEventId.value = message.lastEventId
      if (isNamed(message.event)) {
        refs.event.value = message.event
        refs.data.value = message.data
      }
    }
    else {
      latestId = message.lastEventId
      if (isNamed(message.event))
        latest = message
      batcher.schedule()
    }
    onMessage?.(message)
  }

  let seenError: EventSourceError | null = null
  function follow(state: Readonly<EventSourceState>): void {
    refs.readyState.value = state.readyState
    refs.error.value = state.error
    refs.lastEventId.value = latestId = state.lastEventId
    refs.attempt.value = state.attempt
    refs.retryDelay.value = state.retryDelay
    refs.retryAt.value = state.retryAt
    refs.done.value = state.done
    refs.resumeUrl.value = state.resumeUrl
    // Every error is a new object: a change of `error` is one error to tell about.
    if (state.error !== seenError) {
      seenError = state.error
      if (state.error !== null)
        onError?.(state.error)
    }
  }

  interface Registration { type: string, handler: EventHandler<any, any>, off: (() => void) | null }
  const registrations = new Set<Registration>()
  let source: Source<Data, Events> | null = null
  let unfollow: (() => void)[] = []

  function detach(): void {
    for (const stop of unfollow)
      stop()
    unfollow = []
    for (const registration of registrations) {
      registration.off?.()
      registration.off = null
    }
    source = null
  }

  function attach(next: Source<Data, Events>): void {
    detach()
    source = next
    seenError = next.state.error
    follow(next.state)
    unfollow = [next.subscribe(follow), next.listen(receive, dataOf)]
    for (const registration of registrations)
      registration.off = next.on(registration.type, registration.handler)
  }

  const on: Binding<Data, Events>['on'] = (type, handler) => {
    if (__DEV__) {
      checkEventType('type', type)
      checkFunction('handler', handler)
    }
    const registration: Registration = { type, handler, off: source?.on(type, handler) ?? null }
    registrations.add(registration)
    const off = (): void => {
      registration.off?.()
      registrations.delete(registration)
    }
    // The scope calling on() owns the handler; outside any scope, the composable's dispose removes it.
    tryOnScopeDispose(off)
    return off
  }

  return {
    refs,
    on,
    attach,
    dispose() {
      detach()
      registrations.clear()
      batcher?.cancel()
    },
  }
}
