import type { ComputedRef, MaybeRefOrGetter, ShallowRef } from 'vue'
import type { EventMap, EventSourceOptions, InferOutput, Lease, MaybePromise, ParsedData, ParsedEvents, ParsedMessage, ParseFunction, ParserMap, RequestBody, SharedRegistry, StandardSchemaV1, TextEvents } from './core/index'
import type { Source } from './core/internal'
import type { StreamTracker } from './devtools/streams'
import type { CrossTabRole, CrossTabSetup, CrossTabSource, LockManager } from './platform/crossTab'
import type { Connection, ConnectionSetup } from './useBaseEventSource'
import type { UseEventSourceOptions, UseEventSourceReturn } from './useEventSource'
import { computed, effectScope, hasInjectionContext, shallowRef, toValue, watch } from 'vue'
import { CLOSED, EventSourceError, EventSourceHttpError, EventSourceOptionError, sharedRegistry } from './core/index'
import { checkNumber, checkToken, conflictingOptions, createClient, createDispatcher, createReplayFilter, createStateStore, credentialScope, DEFAULT_TOKEN_TIMEOUT, identity, readToken, resolveParse, streamTarget } from './core/internal'
import { readTokenOption } from './credentials'
import { followSubscriber, trackForDevtools } from './devtools/track'
import { pageSignals } from './platform/pageSignals'
import { useBaseEventSource } from './useBaseEventSource'
import { isGet, ownConnection } from './useEventSource'

/** Options of `useSharedEventSource`: those of `useEventSource`, plus how the connection is shared. */
export interface UseSharedEventSourceOptions<Data = string> extends UseEventSourceOptions<Data> {
  /**
   * Callers with the same key share one connection; whose it is (the token sent now and the headers, hashed)
   * is always added, so callers with other credentials never share it.
   * @default method + absolute URL + body
   */
  key?: string
  /** Milliseconds the connection outlives its last subscriber, so a route swap between pages that share it does not reconnect. @default 1500 */
  keepAlive?: number
  /** Share one connection among all tabs of this origin (Web Locks and BroadcastChannel); where they are missing, each tab connects. @default false */
  shareAcrossTabs?: boolean
  /** Where shared connections live. @default sharedRegistry */
  registry?: SharedRegistry
}

/** What `useSharedEventSource` returns: what `useEventSource` does, plus how it is shared. */
export interface UseSharedEventSourceReturn<Data = string, Events extends EventMap = Record<never, never>> extends UseEventSourceReturn<Data, Events> {
  /** This tab's part: 'off' (not shared across tabs), 'leader' (holds the connection), 'follower' (hears the leader), 'unavailable' (no Web Locks/BroadcastChannel: one connection per tab). */
  crossTab: ComputedRef<CrossTabRole>
  /** The subscription key in use; '' without a URL. */
  key: Readonly<ShallowRef<string>>
}

export const DEFAULT_KEEP_ALIVE = 1500

/** The options every subscriber of one key must agree on; the rest are each subscriber's own. */
type SharedOptions<Data> = Omit<UseSharedEventSourceOptions<Data>, 'key' | 'keepAlive' | 'registry' | 'immediate' | 'events' | 'flush' | 'onMessage' | 'onError'>

/** What a subscriber's stream is made of, read at once: the token as its option gives it (maybe a promise). */
interface JoinInputs {
  url: string | URL | null | undefined
  body: RequestBody
  headers: HeadersInit | null | undefined
  token: MaybePromise<string | null | undefined>
}

/** After a join: follow the stream (start it if a connection is wanted), or open it (`open()`). */
type Then = 'follow' | 'open'

/** One shared connection and what it was made from. */
interface SharedStream<Data, Events extends EventMap> {
  source: Source<Data, Events>
  options: Record<string, unknown>
  /** What this connection knows of whose it is: the scope it was made for, and those of the tokens it has sent since. */
  whose: Whose
  role: ShallowRef<CrossTabRole>
  start: () => void
  open: () => void
  close: () => void
  dispose: () => void
  /** What Vue DevTools shows of this connection, in development builds only. */
  devtools?: StreamTracker
}

const browserSignals = /* @__PURE__ */ pageSignals()

/** This page's Web Locks, or null. */
function lockManager(): LockManager | null {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  return typeof locks?.request === 'function' ? locks : null
}

/**
 * Whether this page can share a connection with its other tabs: it needs Web Locks and BroadcastChannel.
 * Here, not beside the leader election it answers for, so that it stays synchronous and costs a few bytes.
 */
export function canShareAcrossTabs(): boolean {
  return typeof globalThis.BroadcastChannel === 'function' && lockManager() !== null
}

/**
 * The cross-tab leader election (platform/crossTab.ts, about 3 KB minified), loaded on first use of
 * `shareAcrossTabs` as a chunk of its own: an app that never asks for it never downloads it. A dynamic
 * import rather than a separate entry (`vue-event-source/cross-tab`): the API stays one option, with no
 * second import an app could forget; bundlers split it out (esbuild without code splitting inlines it) and
 * Node loads it as it is; and what it costs, a chunk request on the first cross-tab subscriber, comes while
 * that tab waits for its Web Lock anyway. A failed load is forgotten, so the next subscriber tries again.
 */
let crossTabModule: Promise<typeof import('./platform/crossTab')> | null = null
function loadCrossTab(): Promise<typeof import('./platform/crossTab')> {
  return crossTabModule ??= import('./platform/crossTab').catch((error: unknown) => {
    crossTabModule = null
    throw error
  })
}

/**
 * A cross-tab source at once, its leader election once loaded. Its state and handlers are made here, so
 * subscribers follow them from the start as they did when the module was bundled in (CLOSED, and the
 * role 'follower', until the Web Lock or the leader answers); `start`, `open` and `close` called before
 * the load are replayed in order after it; disposed before it, it never asks for the lock, never opens a
 * BroadcastChannel and never connects.
 */
function deferredCrossTabSource<Data, Events extends EventMap>(
  parse: ((raw: string, event: { event: string, lastEventId: string }) => Data) | null,
  lastEventId: string,
  setup: Omit<CrossTabSetup<Data, Events>, 'locks' | 'store' | 'dispatcher' | 'replay' | 'errors'>,
): CrossTabSource<Data, Events> {
  const store = createStateStore(lastEventId)
  const dispatcher = createDispatcher<Data, Events>(parse, error => store.update({ error }))
  let loaded: CrossTabSource<Data, Events> | null = null
  let disposed = false
  const calls: ('start' | 'open' | 'close')[] = []
  loadCrossTab().then(({ createCrossTabSource }) => {
    if (disposed)
      return
    const errors = { EventSourceError, EventSourceHttpError, EventSourceOptionError }
    loaded = createCrossTabSource<Data, Events>({ ...setup, locks: lockManager()!, store, dispatcher, replay: createReplayFilter(), errors })
    for (const call of calls.splice(0))
      loaded[call]()
  }, (cause: unknown) => {
    if (!disposed)
      store.update({ error: new EventSourceError('network', __DEV__ ? 'the cross-tab code (shareAcrossTabs) could not be loaded' : '', { cause }) })
  })
  const act = (call: 'start' | 'open' | 'close') => (): void => {
    if (loaded === null)
      calls.push(call)
    else
      loaded[call]()
  }
  return {
    state: store.state,
    subscribe: store.subscribe,
    on: dispatcher.on,
    listen: dispatcher.listen,
    start: act('start'),
    open: act('open'),
    close: act('close'),
    dispose() {
      disposed = true
      loaded?.dispose()
    },
  }
}

/**
 * Whose a connection is. A connection that refreshed its token after a 401 (or read a rotated one when it
 * reconnected) sends the new token: its subscribers, whose reads now give that token too, stay with it
 * instead of moving to a connection of their own. While it reads a token, `reading` settles once it has.
 */
interface Whose {
  scopes: Set<string>
  reading: Promise<void> | null
}

/** A source that stays closed and silent, with `error`: for "no URL", or a join that failed. */
function failedSource(error: EventSourceError | null): Source<any, any> {
  return {
    state: { readyState: CLOSED, error, lastEventId: '', attempt: 0, retryDelay: null, retryAt: null, done: false, resumeUrl: null },
    open() {},
    close() {},
    on: () => () => {},
    listen: () => () => {},
    subscribe: () => () => {},
  }
}

/** A source for "no URL": closed, silent. */
const closedSource = /* @__PURE__ */ failedSource(null)

/**
 * A caller's shared options as compared between subscribers of one key. The URL, the body and the
 * credentials (the token sent now and the headers) are in the key.
 */
function describeShared<Data>(shared: SharedOptions<Data>): Record<string, unknown> {
  const { token: _token, body: _body, headers: _headers, shareAcrossTabs = false, signals = browserSignals, connectOnServer: _connectOnServer, ...rest } = shared
  return { ...rest, signals, shareAcrossTabs }
}

function buildSharedStream<Data, Events extends EventMap>(key: string, scope: string, url: string, inputs: JoinInputs, shared: SharedOptions<Data>, lastEventId: string): SharedStream<Data, Events> {
  const { token, headers: _headers, shareAcrossTabs = false, signals = browserSignals, body: _reactiveBody, connectOnServer: _connectOnServer, ...rest } = shared
  const whose: Whose = { scopes: new Set([scope]), reading: null }
  const sent = (value: unknown): void => {
    try {
      whose.scopes.add(credentialScope(checkToken(value), inputs.headers))
    }
    catch {}
  }
  const options: EventSourceOptions<Data> = {
    ...rest,
    lastEventId,
    signals,
    // Read afresh before every attempt, and refreshed after a 401, as for a stream of one's own.
    token: (context) => {
      const value = readTokenOption(token, context)
      if (!(value instanceof Promise)) {
        sent(value)
        return value
      }
      const reading: Promise<void> = value.then(sent, () => {}).finally(() => {
        if (whose.reading === reading)
          whose.reading = null
      })
      whose.reading = reading
      return value
    },
    // The body and headers are part of the key: this connection keeps those it was made for.
    headers: () => inputs.headers,
    body: inputs.body,
  }
  const described = describeShared(shared)
  if (shareAcrossTabs && canShareAcrossTabs()) {
    const role = shallowRef<CrossTabRole>('follower')
    const source = deferredCrossTabSource<Data, Events>(resolveParse(rest.parse), lastEventId, {
      key,
      // The leader's connection hands over raw text; every tab parses for itself.
      connect: lastEventId => createClient<string, Record<never, never>>(url, { ...options, parse: 'text', lastEventId } as EventSourceOptions<string>),
      sendsOnce: (rest.method ?? 'GET').toUpperCase() !== 'GET',
      onRole: (next) => {
        role.value = next
      },
      signals,
      pauseWhenHidden: rest.pauseWhenHidden === true,
    })
    return { source, options: described, whose, role, start: source.start, open: source.open, close: source.close, dispose: source.dispose }
  }
  const client = createClient<Data, Events>(url, options)
  let started = false
  return {
    source: client,
    options: described,
    whose,
    role: shallowRef(shareAcrossTabs ? 'unavailable' : 'off'),
    start() {
      if (!started) {
        started = true
        client.open()
      }
    },
    open() {
      started = true
      client.open()
    },
    close() {
      started = false
      client.close()
    },
    dispose: client.close,
  }
}

function createSharedStream<Data, Events extends EventMap>(key: string, scope: string, url: string, inputs: JoinInputs, shared: SharedOptions<Data>, lastEventId: string): SharedStream<Data, Events> {
  const stream = buildSharedStream<Data, Events>(key, scope, url, inputs, shared, lastEventId)
  // Vue DevTools' "Event streams" inspector, in development builds only (see devtools/track.ts).
  return __DEV__ ? withDevtools(stream, key, url, shared) : stream
}

/** A shared connection followed by Vue DevTools, in development builds only. */
function withDevtools<Data, Events extends EventMap>(stream: SharedStream<Data, Events>, key: string, url: string, shared: SharedOptions<Data>): SharedStream<Data, Events> {
  const { dispose, role } = stream
  const devtools = trackForDevtools('useSharedEventSource', shared, { url: () => url, key, client: stream.source, open: stream.open, close: stream.close, crossTab: () => role.value })
  // Detached: the connection outlives the subscriber whose setup happened to create it.
  const scope = effectScope(true)
  scope.run(() => watch(role, (to, from) => devtools?.handover(from, to)))
  return {
    ...stream,
    devtools,
    dispose() {
      scope.stop()
      devtools?.dispose()
      dispose()
    },
  }
}

/**
 * Like `useEventSource`, but every caller with the same key shares one connection: the first subscriber
 * opens it; it closes once the last subscriber's scope is gone and `keepAlive` ms pass without a new one.
 * Each subscriber has its own refs, `events`, `flush`, callbacks and `on()` handlers. With
 * `shareAcrossTabs`, the tabs of this origin share it too.
 */
export function useSharedEventSource<Data extends string = string, Events extends TextEvents<Events> = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options?: UseSharedEventSourceOptions<Data> & { parse?: 'text' },
): UseSharedEventSourceReturn<Data, Events>
/** With a Standard Schema (Zod, Valibot, ArkType, …), `data` is the schema's output: each event's data is read as JSON and validated. */
export function useSharedEventSource<Schema extends StandardSchemaV1, Events extends EventMap = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: Omit<UseSharedEventSourceOptions<InferOutput<Schema>>, 'parse'> & { parse: Schema },
): UseSharedEventSourceReturn<InferOutput<Schema>, Events>
/** With `parse: 'json'`, `data` is what you declare (`unknown` if you do not); with a function, what it returns. */
export function useSharedEventSource<Data = unknown, Events extends EventMap = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<Data> & { parse: 'json' | ParseFunction<Data> },
): UseSharedEventSourceReturn<Data, Events>
/** With an object of parsers by event type, each type's `data` is its parser's return type; the others stay text. */
export function useSharedEventSource<Parsers extends ParserMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<ParsedData<Parsers>> & { parse: Parsers },
): UseSharedEventSourceReturn<ParsedMessage<Parsers>, ParsedEvents<Parsers>>
export function useSharedEventSource<Data, Events extends EventMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<Data> = {},
): UseSharedEventSourceReturn<Data, Events> {
  return useSharedClientRefs<Data, Events>(url, options)
}

/** `useSharedEventSource` typed from its type arguments alone, for `defineEventSource` and tests, which pass a generic `Data` through. */
export function useSharedClientRefs<Data, Events extends EventMap>(url: MaybeRefOrGetter<string | URL | null | undefined>, options: UseSharedEventSourceOptions<Data> = {}): UseSharedEventSourceReturn<Data, Events> {
  return useBaseEventSource<Data, Events, SharedExtra>('useSharedEventSource', options, (setup) => {
    // On a server nothing is shared between requests (two users' renders must never meet in the
    // module-level registry), and nothing connects from an app: a private client, which renders the
    // initial state (and, in a component of a custom renderer that mounts it, connects on mount).
    if (setup.when === 'never' || (typeof document === 'undefined' && hasInjectionContext() && options.connectOnServer !== true))
      return { ...ownConnection(url, options, setup), extra: { crossTab: computed((): CrossTabRole => 'off'), key: shallowRef('') } }
    return sharedConnection(url, options, setup)
  })
}

/** What `useSharedEventSource` returns besides `useEventSource`'s refs. */
type SharedExtra = Pick<UseSharedEventSourceReturn, 'crossTab' | 'key'>

/**
 * The shared connection of the caller's key: joined, followed when the key changes (a GET's URL, body,
 * headers or token), left when the scope ends.
 */
function sharedConnection<Data, Events extends EventMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<Data>,
  { binding }: ConnectionSetup<Data, Events>,
): Connection<SharedExtra> {
  const { key: explicitKey, keepAlive = DEFAULT_KEEP_ALIVE, registry = sharedRegistry, immediate: _immediate, events: _events, flush: _flush, onMessage: _onMessage, onError: _onError, ...shared } = options
  checkNumber('keepAlive', keepAlive)
  if (explicitKey !== undefined && (typeof explicitKey !== 'string' || explicitKey === ''))
    throw new EventSourceOptionError('key', __DEV__ ? 'expected a non-empty string' : '')

  const key = shallowRef('')
  const stream = shallowRef<SharedStream<Data, Events> | null>(null)
  const method = shared.method ?? 'GET'
  let lease: Lease<SharedStream<Data, Events>> | null = null
  // The stream part of the key in use, and whose it is, to tell a change of credentials from a move.
  let target = ''
  let whose = ''
  let wanted = false
  // Numbers the joins: an async token getter's answer for an older one is ignored.
  let joins = 0
  // Ends the wait for an async token getter (and its timeout) when a newer join or the scope's end comes.
  let reading: AbortController | null = null

  function leave(linger = true): void {
    lease?.release(linger)
    lease = null
    stream.value = null
    key.value = ''
    target = ''
    whose = ''
  }

  /** What makes this subscriber's stream: where, what, and whose (the token it would send now). */
  function readInputs(): JoinInputs {
    let token: MaybePromise<string | null | undefined>
    try {
      token = readTokenOption(shared.token, { refresh: false })
    }
    catch (error) {
      token = Promise.reject(error)
    }
    return { url: toValue(url), body: toValue(shared.body), headers: toValue(shared.headers), token }
  }

  /**
   * Joins the shared stream of these inputs, leaving the previous one. [NON-SPEC] a connection is only
   * ever shared by subscribers with the same credentials: the token a subscriber would send now (never
   * the getter that gives it) and its headers are part of the key. An async getter is waited for; until it
   * answers, this subscriber stays where it was (or on nothing, the first time).
   */
  function join(inputs: JoinInputs, then: Then = 'follow'): void {
    const seq = ++joins
    reading?.abort()
    reading = null
    const where = inputs.url
    if (where === null || where === undefined || where === '') {
      leave()
      binding.attach(closedSource)
      return
    }
    if (!(inputs.token instanceof Promise))
      return joinScope(seq, where, inputs, scopeOf(() => checkToken(inputs.token), inputs.headers), then)
    const controller = new AbortController()
    reading = controller
    void readToken(() => inputs.token, { refresh: false }, shared.tokenTimeout ?? DEFAULT_TOKEN_TIMEOUT, controller.signal)
      .then(token => credentialScope(token, inputs.headers), () => invalidScope())
      .then((scope) => {
        if (seq !== joins || controller.signal.aborted)
          return
        reading = null
        try {
          joinScope(seq, where, inputs, scope, then)
        }
        catch (error) {
          // Thrown by the first join, a conflict is thrown to the caller; later, it is this subscriber's error.
          binding.attach(failedSource(error as EventSourceError))
        }
      })
  }

  /** `credentialScope` of a token read now; a token that cannot be sent has a scope of its own. */
  function scopeOf(token: () => string | null, headers: HeadersInit | null | undefined): string {
    try {
      return credentialScope(token(), headers)
    }
    catch {
      return invalidScope()
    }
  }

  /** Whose a stream is when its token getter failed: that getter's alone, so it shares nobody's token. */
  function invalidScope(): string {
    const source = shared.token
    return `token:invalid${typeof source === 'object' || typeof source === 'function' ? identity(source as object) : ''}`
  }

  function joinScope(seq: number, where: string | URL, inputs: JoinInputs, scope: string, then: Then): void {
    let part: string
    try {
      part = explicitKey ?? streamTarget(where, method, inputs.body)
    }
    catch {
      // An unusable URL gets a key of its own; its connection fails with a typed error as usual.
      part = `invalid ${String(where)}`
    }
    const next = `${part} ${scope}`
    const current = stream.value
    if (current !== null && target === part && key.value !== next) {
      // The connection may be reading the very token this subscriber now has (its own refresh after a
      // 401): decide once it has.
      if (current.whose.reading !== null) {
        void current.whose.reading.then(() => seq === joins && joinScope(seq, where, inputs, scope, then))
        return
      }
      if (current.whose.scopes.has(scope))
        whose = scope
    }
    if (current !== null && (key.value === next || (target === part && whose === scope))) {
      if (then === 'open')
        current.open()
      return
    }
    // Only the credentials changed: the old connection, which nobody else of these credentials holds,
    // closes at once; after a rotation (a token for a token) the new one resumes where it was, while
    // across a sign-out or sign-in that position was another identity's and it starts afresh.
    const sameStream = lease !== null && target === part
    const rotated = sameStream && !whose.startsWith('anonymous') && !scope.startsWith('anonymous')
    const resumeFrom = rotated ? stream.value!.source.state.lastEventId : shared.lastEventId ?? ''
    const taken = registry.acquire(next, () => createSharedStream<Data, Events>(next, scope, String(where), inputs, shared, resumeFrom), value => value.dispose(), keepAlive)
    if (!taken.created) {
      const differing = conflictingOptions(taken.value.options, describeShared(shared))
      if (differing.length > 0) {
        taken.release()
        throw new EventSourceOptionError('key', __DEV__ ? `"${next}" is already shared with different ${differing.join(', ')}; define the stream once (defineEventSource) or give this one its own key` : '')
      }
    }
    leave(!sameStream)
    lease = taken
    stream.value = taken.value
    key.value = next
    target = part
    whose = scope
    binding.attach(taken.value.source)
    if (then === 'open')
      taken.value.open()
    else if (wanted)
      taken.value.start()
  }

  // [NON-SPEC] a request that is not GET is sent by open() (or the first connect) only: its inputs are
  // read again by open(), and a change of them is never a reason to send it (a second, paid LLM run).
  const followsInputs = isGet(method)
  const stopWatch = followsInputs
    ? watch(readInputs, inputs => join(inputs), { deep: true, immediate: true })
    : (join(readInputs()), undefined)
  // Vue DevTools, in development builds only (see devtools/track.ts): this component among the subscribers.
  if (__DEV__)
    followSubscriber(stream)

  return {
    start() {
      wanted = true
      stream.value?.start()
    },
    open() {
      wanted = true
      if (followsInputs)
        stream.value?.open()
      else
        join(readInputs(), 'open')
    },
    close() {
      wanted = false
      stream.value?.close()
    },
    dispose() {
      stopWatch?.()
      joins++
      reading?.abort()
      binding.dispose()
      leave()
    },
    extra: { crossTab: computed(() => stream.value?.role.value ?? 'off'), key },
  }
}
