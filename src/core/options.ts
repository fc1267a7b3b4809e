import type { EventSourceError } from './errors'
import type { ResolvedResume } from './resume'
import type { RetryPolicy } from './retry'
import type { PageSignals } from './signals'
import type { DataParser, EventSourceMessage, EventSourceOptions, FetchLike, MaybePromise, ParseFunction, ParserMap, RequestBody, ResyncInfo, TokenSource } from './types'
import { EventSourceOptionError } from './errors'
import { resolveResume } from './resume'
import { resolveRetryPolicy } from './retry'
import { isSchema, parseWith } from './schema'
import { checkFunction, checkNumber } from './validate'

// An HTTP method is an RFC 9110 token.
const METHOD = /^[!#$%&'*+\-.^\w`|~]+$/
// Methods fetch refuses to send: every request would fail as if the network had.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])
// A last event ID can hold neither NUL (the spec ignores such ids) nor a line break.
const BAD_ID = /[\0\n\r]/

export const DEFAULT_TOKEN_TIMEOUT = 10_000
// [NON-SPEC] the spec waits for response headers as long as it takes.
export const DEFAULT_CONNECT_TIMEOUT = 30_000
export const DEFAULT_MAX_EVENT_SIZE = 4 * 1024 * 1024

/** The client's options as the package's own layers pass them: one more, which no app sets. */
export type InternalOptions<Data> = EventSourceOptions<Data> & { onResponse?: (response: Response) => MaybePromise<void> }

/** Client options with defaults filled in and every value checked. */
export interface ResolvedOptions<Data> {
  method: string
  headers: () => HeadersInit | null | undefined
  body: () => RequestBody
  token: TokenSource
  tokenTimeout: number
  withCredentials: boolean
  /** `null` keeps the raw text, the default. */
  parse: ((raw: string, event: { event: string, lastEventId: string }) => Data) | null
  retry: RetryPolicy | null
  heartbeatTimeout: number
  connectTimeout: number
  lastEventIdParam: string | undefined
  lastEventIdHeader: boolean
  closeEvent: string | undefined
  /** The raw data values that end the stream: each `closeData` sentinel and its JSON-encoded form. */
  closeData: readonly string[]
  lastEventId: string
  maxEventSize: number
  fetch: FetchLike | undefined
  pauseWhenHidden: boolean
  signals: PageSignals | undefined
  onOpen: ((response: Response) => MaybePromise<void>) | undefined
  /** The package's own: sees every response before it is judged (the fetchEventSource drop-in's `onopen`). */
  onResponse: ((response: Response) => MaybePromise<void>) | undefined
  onMessage: ((message: EventSourceMessage<Data>) => void) | undefined
  onError: ((error: EventSourceError) => void) | undefined
  onResync: ((info: ResyncInfo) => void) | undefined
  resyncAfterHidden: number
  resume: ResolvedResume | null
  resetEvent: string | undefined
}

export function resolveParse<Data>(parse: DataParser<Data> | ParserMap | undefined): ResolvedOptions<Data>['parse'] {
  if (parse === undefined || parse === 'text')
    return null
  if (parse === 'json')
    return raw => JSON.parse(raw) as Data
  // Before functions and objects of parsers: an ArkType type is a function, a Valibot schema an object.
  if (isSchema(parse))
    return parseWith(parse) as ParseFunction<Data>
  if (typeof parse === 'function')
    return parse
  if (typeof parse === 'object' && parse !== null && !Array.isArray(parse))
    return byEventType(parse) as ParseFunction<Data>
  throw new EventSourceOptionError('parse', __DEV__ ? `expected 'text', 'json', a function, a Standard Schema or an object of them by event type, got ${String(parse)}` : '')
}

/** One parser per event type; an event type without one keeps its text. */
function byEventType(parsers: ParserMap): ParseFunction<unknown> {
  const byType = new Map<string, ParseFunction<unknown>>()
  for (const [type, parser] of Object.entries(parsers))
    byType.set(type, isSchema(parser) ? parseWith(parser) : __DEV__ ? checkFunction(`parse.${type}`, parser) : parser)
  return (raw, event) => {
    const parser = byType.get(event.event)
    return parser === undefined ? raw : parser(raw, event)
  }
}

function getter<T>(value: T | (() => T)): () => T {
  return typeof value === 'function' ? value as () => T : () => value
}

/** Checks every option and fills in defaults; throws an `EventSourceOptionError` on bad input. */
export function resolveOptions<Data>(options: EventSourceOptions<Data>): ResolvedOptions<Data> {
  if (typeof options !== 'object' || options === null)
    throw new EventSourceOptionError('options', __DEV__ ? 'expected an object' : '')
  const method = options.method ?? 'GET'
  if (typeof method !== 'string' || !METHOD.test(method))
    throw new EventSourceOptionError('method', __DEV__ ? `expected an HTTP method name, got ${String(method)}` : '')
  const upperMethod = method.toUpperCase()
  if (FORBIDDEN_METHODS.has(upperMethod))
    throw new EventSourceOptionError('method', __DEV__ ? `fetch cannot send ${method} requests` : '')
  const lastEventId = options.lastEventId ?? ''
  if (typeof lastEventId !== 'string' || BAD_ID.test(lastEventId))
    throw new EventSourceOptionError('lastEventId', __DEV__ ? 'expected a string without control characters (tab aside)' : '')
  const sentinels = options.closeData === undefined ? [] : Array.isArray(options.closeData) ? options.closeData : [options.closeData]
  const token = options.token
  if (token !== undefined && token !== null && typeof token !== 'string' && typeof token !== 'function')
    throw new EventSourceOptionError('token', __DEV__ ? `expected a string or a function, got ${typeof token}` : '')
  // Checks that only explain a wrong type, as Vue's prop validation does: development builds only
  // (docs/guide/api.md, "Checks in development only"). A production build that gets such a value fails
  // later with a typed error (a callback that is not a function is a `handler` error) or ignores it.
  if (__DEV__) {
    for (const name of ['closeEvent', 'resetEvent'] as const) {
      if (options[name] !== undefined && typeof options[name] !== 'string')
        throw new EventSourceOptionError(name, 'expected an event type name')
    }
    if (sentinels.some(sentinel => typeof sentinel !== 'string'))
      throw new EventSourceOptionError('closeData', 'expected a string or an array of strings')
    if (options.lastEventIdParam !== undefined && (typeof options.lastEventIdParam !== 'string' || options.lastEventIdParam === ''))
      throw new EventSourceOptionError('lastEventIdParam', 'expected a query parameter name')
    if (options.signals !== undefined && (typeof options.signals?.subscribe !== 'function'))
      throw new EventSourceOptionError('signals', 'expected an object with hidden(), online() and subscribe()')
    for (const name of ['onOpen', 'onMessage', 'onError', 'onResync'] as const)
      checkFunction(name, options[name], true)
  }
  return {
    method: upperMethod,
    headers: getter(options.headers),
    body: getter(options.body),
    token,
    tokenTimeout: checkNumber('tokenTimeout', options.tokenTimeout ?? DEFAULT_TOKEN_TIMEOUT, 1),
    withCredentials: options.withCredentials === true,
    parse: resolveParse(options.parse),
    retry: resolveRetryPolicy(options.reconnect, upperMethod),
    heartbeatTimeout: checkNumber('heartbeatTimeout', options.heartbeatTimeout ?? 0),
    connectTimeout: checkNumber('connectTimeout', options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT),
    lastEventIdParam: options.lastEventIdParam,
    lastEventIdHeader: options.lastEventIdHeader !== false,
    closeEvent: options.closeEvent,
    // Servers that JSON-encode every data payload (better-sse, @fastify/sse) send "[DONE]" with its quotes.
    closeData: sentinels.flatMap((sentinel: string) => [sentinel, JSON.stringify(sentinel)]),
    lastEventId,
    maxEventSize: checkNumber('maxEventSize', options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE, 1, true),
    fetch: checkFunction('fetch', options.fetch, true),
    pauseWhenHidden: options.pauseWhenHidden === true,
    signals: options.signals,
    onOpen: options.onOpen,
    onResponse: (options as InternalOptions<Data>).onResponse,
    onMessage: options.onMessage,
    onError: options.onError,
    onResync: options.onResync,
    resyncAfterHidden: checkNumber('resyncAfterHidden', options.resyncAfterHidden ?? 60_000, 0, true),
    resume: resolveResume(options.resume, options.reconnect),
    resetEvent: options.resetEvent,
  }
}
