import type { EventSourceError } from './errors'
import type { PageSignals } from './signals'

/** `readyState` while connecting, reconnecting, or waiting to reconnect (as `EventSource.CONNECTING`). */
export const CONNECTING = 0
/** `readyState` while a stream is being read (as `EventSource.OPEN`). */
export const OPEN = 1
/** `readyState` once closed for good, by `close()`, the server, a fatal error or exhausted retries (as `EventSource.CLOSED`). */
export const CLOSED = 2

/** The connection state, with the numbers `EventSource` uses. */
export type EventSourceReadyState = typeof CONNECTING | typeof OPEN | typeof CLOSED
/** The connection state as a word, as VueUse's `useEventSource` reports it. */
export type EventSourceStatus = 'CONNECTING' | 'OPEN' | 'CLOSED'

/** Each `readyState`'s word, by number. */
export const STATUS_NAMES = ['CONNECTING', 'OPEN', 'CLOSED'] as const satisfies readonly EventSourceStatus[]

export type MaybePromise<T> = T | Promise<T>

/** One dispatched event, as handlers receive it. */
export interface EventSourceMessage<Data = string, Type extends string = string> {
  /** The event type: the stream's `event:` field, or `message` when it named none. */
  event: Type
  /** The data, parsed as the `parse` option says. */
  data: Data
  /** The data as it came off the wire, `data:` lines joined with `\n`. */
  raw: string
  /** The stream's last event ID at dispatch, as `MessageEvent.lastEventId`. */
  lastEventId: string
}

/**
 * Maps event types to the type of their data, as a type literal or an interface: `{ notice: Notice, update: Update }`.
 * With a map, `on()` takes the map's event types and `'message'`; without one, any event type.
 */
export type EventMap = object

/** The event types `on()` accepts: any without an event map; the map's own and `'message'` with one. */
export type EventType<Events extends EventMap> = [keyof Events] extends [never] ? string : (keyof Events & string) | 'message'

/** The data type of events of type `K`: from the event map when it names `K`, otherwise `Data`. */
export type EventData<Events extends EventMap, K extends string, Data> = K extends keyof Events ? Events[K] : Data

/** An event map whose every event arrives as text, as it does without `parse`. */
export type TextEvents<Events extends EventMap> = { [K in keyof Events]: string }

/** A function that receives every event of one type. */
export type EventHandler<Data = string, Type extends string = string> = (message: EventSourceMessage<Data, Type>) => void

/** What a token getter is told about the attempt it is called for. */
export interface TokenContext {
  /** `true` when the server has just rejected the previous token with 401 or 403: return a fresh one. */
  refresh: boolean
}

/** Returns the bearer token for one attempt; `null` or `''` sends no `Authorization` header. */
export type TokenGetter = (context: TokenContext) => MaybePromise<string | null | undefined>

/** A bearer token, or a function (sync or async) called afresh before every attempt. */
export type TokenSource = string | null | undefined | TokenGetter

/**
 * A request body; plain objects and arrays are sent as JSON. Anything else `fetch` takes, except a
 * `ReadableStream`, which could be sent only once and never again on a reconnect.
 */
export type RequestBody = Exclude<BodyInit, ReadableStream> | Record<string, unknown> | unknown[] | null | undefined

/** Turns one event's data into `data`; it is told the event's type and last event ID. */
export type ParseFunction<Data> = (raw: string, event: { event: string, lastEventId: string }) => Data

/**
 * A schema of any library that implements Standard Schema (https://standardschema.dev): Zod, Valibot,
 * ArkType and others. The client reads its `~standard` interface only, so none of them is a dependency.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    /** Validates a value: its output, or the issues found; maybe asynchronously. */
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>
    /** The input and output types, for inference only. */
    readonly types?: { readonly input: Input, readonly output: Output } | undefined
  }
}

/** What a Standard Schema's `validate` answers: the output value, or issues. */
export type StandardResult<Output> = { readonly value: Output, readonly issues?: undefined } | { readonly issues: readonly StandardIssue[] }

/** One problem a schema found: what, and where in the value (keys, or `{ key }` segments). */
export interface StandardIssue {
  readonly message: string
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined
}

/** The type a Standard Schema validates to. */
export type InferOutput<Schema> = Schema extends StandardSchemaV1<any, infer Output> ? Output : never

/**
 * A parser per event type: a function or a Standard Schema, `{ alert: Alert, tick: raw => Number(raw) }`;
 * other event types stay text.
 */
export type ParserMap = Record<string, ParseFunction<unknown> | StandardSchemaV1>

/**
 * How event data is turned into `data`: kept as text, parsed as JSON, by your function, or parsed as
 * JSON and validated by a Standard Schema.
 */
export type DataParser<Data> = 'text' | 'json' | ParseFunction<Data> | StandardSchemaV1<any, Data>

/** What one entry of a parser map makes of an event: a schema's output, a function's return. */
export type Parsed<Parser> = Parser extends StandardSchemaV1<any, infer Output> ? Output : Parser extends (...args: any[]) => infer Result ? Result : never

/** The event map a parser map yields: each event type's data is its parser's type. */
export type ParsedEvents<Parsers extends ParserMap> = { [K in keyof Parsers]: Parsed<Parsers[K]> }

/** The data of `message` events under a parser map: its `message` parser's type, or text without one. */
export type ParsedMessage<Parsers extends ParserMap> = 'message' extends keyof Parsers ? Parsed<Parsers['message']> : string

/** The data of any event under a parser map, as `onMessage` receives it. */
export type ParsedData<Parsers extends ParserMap> = ParsedEvents<Parsers>[keyof Parsers] | string

/** A `fetch`-compatible function. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>

/** How and how long to reconnect after the stream ends or fails. */
export interface ReconnectOptions {
  /** Consecutive failed attempts to tolerate before giving up (state CLOSED, `onFailed`). @default Infinity */
  retries?: number
  /**
   * Base delay in ms, doubled per consecutive failure up to `maxDelay`; a server's `retry:` replaces it.
   * Or a function `(attempt, error) => ms` that decides alone (`Retry-After` still sets a floor); when
   * it returns `undefined`, the default backoff decides.
   * @default 1000
   */
  delay?: number | ((attempt: number, error: EventSourceError | null) => number | undefined)
  /** Longest backoff delay in ms, before jitter (a server's larger `retry:` or `Retry-After` still wins). @default 30000 */
  maxDelay?: number
  /** Random extra wait as a fraction of the delay, added on top so clients spread out: 0.25 adds 0–25 %. @default 0.25 */
  jitter?: number
  /**
   * Whether a response with this HTTP status is retried (statuses other than 200, 204, 401 and 403,
   * which have their own rules). `() => false` fails the connection on any of them, as the spec's
   * EventSource does. @default 408, 429 and 5xx are retried, the rest fail
   */
  retryStatus?: (status: number) => boolean
  /** Called once when `retries` is exhausted, with the last error. @default undefined */
  onFailed?: (error: EventSourceError | null) => void
}

/**
 * Where and how the rest of a run is read again when its stream breaks before its end: a POST that
 * starts an LLM answer is sent once, and the rest is read by GET.
 */
export interface ResumeOptions {
  /**
   * Where the rest of the run is read: a URL, or a function of the response that started the run
   * (`response => response.headers.get('Location')`); resolved against the response's URL. Read once
   * per run, when its first response opens.
   */
  url: string | URL | ((response: Response) => string | URL | null | undefined)
  /**
   * How the server resumes: `'last-event-id'` continues after the `Last-Event-ID` it is sent;
   * `'start'` replays the run from its first event, and the client skips the events it already delivered.
   * @default 'last-event-id'
   */
  from?: 'last-event-id' | 'start'
  /** Failed resumes in a row before the run is given up (CLOSED, the last error): a run whose producer died answers 5xx for ever. @default 5 */
  retries?: number
}

/** Options of the framework-agnostic client, `createEventSource`. */
export interface EventSourceOptions<Data = string> {
  /** HTTP method. A request that is not GET is never re-sent when its stream ends, and after a failure only if `reconnect` is set. @default 'GET' */
  method?: string
  /** Request headers, or a getter read before every attempt. @default {} */
  headers?: HeadersInit | (() => HeadersInit | null | undefined)
  /** Request body, or a getter read before every attempt; plain objects and arrays are sent as JSON. @default undefined */
  body?: RequestBody | (() => RequestBody)
  /** Bearer token sent as `Authorization: Bearer <token>`, never in the URL; a function is called afresh before every attempt. @default undefined */
  token?: TokenSource
  /** Longest wait in ms for a token getter before the attempt fails with a `token` error. @default 10000 */
  tokenTimeout?: number
  /** Send cookies and HTTP auth cross-origin (`credentials: 'include'`). @default false */
  withCredentials?: boolean
  /**
   * How to turn event data into `data`. Applied only to events someone reads: `message` events and named
   * events with a handler (in Vue, also those listed in `events`), and every event when `onMessage` is set;
   * never to the close event or close data. A failure is reported as a `parse` error; the connection stays.
   * An object of parsers by event type parses each type its own way and leaves the others as text.
   * @default 'text'
   */
  parse?: DataParser<Data> | ParserMap
  /** Reconnection policy, or `false` for none. @default true for GET, false for other methods */
  reconnect?: boolean | ReconnectOptions
  /** Milliseconds without a single byte (comments count) after which the connection is deemed dead and replaced; 0 turns it off. @default 0 */
  heartbeatTimeout?: number
  /**
   * Milliseconds to wait for the response headers before the attempt fails with `connect-timeout` and
   * reconnects: a request the browser queues behind its 6-per-origin limit, or a proxy holds, says so
   * instead of waiting at CONNECTING for ever; 0 waits for ever. @default 30000
   */
  connectTimeout?: number
  /**
   * Also send the last event ID as this query parameter (event-source-polyfill's convention is
   * `lastEventId`), for servers that read it there, and across origins, where the `Last-Event-ID` header
   * needs the server's CORS consent and a query parameter does not. @default undefined (header only)
   */
  lastEventIdParam?: string
  /**
   * Send the last event ID as the `Last-Event-ID` header. Turn it off with `lastEventIdParam` set, for
   * servers that read only the query (event-source-polyfill sends no header). @default true
   */
  lastEventIdHeader?: boolean
  /**
   * An event type on which the server tells the client to close for good. A control message, not data:
   * never parsed, and only its own `on(closeEvent)` handlers hear of it (with its raw text). @default undefined
   */
  closeEvent?: string
  /**
   * Event data that ends the stream for good, as LLM streams end with `[DONE]`; its JSON-encoded form
   * (`"[DONE]"`, as servers that JSON-encode every payload send it) matches too. The event is not delivered.
   * @default undefined
   */
  closeData?: string | readonly string[]
  /** Last event ID to resume from, sent as `Last-Event-ID` on the first request. @default '' */
  lastEventId?: string
  /** Most characters one line or one event's data may hold; beyond it the attempt fails with `event-too-large` and reconnects. @default 4194304 */
  maxEventSize?: number
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: FetchLike
  /** Close a GET stream while the page is hidden and resume it (with `Last-Event-ID`) when visible. @default false */
  pauseWhenHidden?: boolean
  /** Source of page visibility and network state; `pageSignals()` reads the browser's. @default undefined (always visible, always online) */
  signals?: PageSignals
  /** Called with each accepted response (status 200, `text/event-stream`) before its body is read; throwing closes with `open-rejected`. @default undefined */
  onOpen?: (response: Response) => MaybePromise<void>
  /** Called with every dispatched event of every type. @default undefined */
  onMessage?: (message: EventSourceMessage<Data>) => void
  /** Called with every error: connection errors (retried or not), data errors and handler errors. @default undefined */
  onError?: (error: EventSourceError) => void
  /**
   * Called when the page comes back from a state in which its connection may have died unreported (a
   * back/forward-cache restore, a resume after a freeze, a hide longer than `resyncAfterHidden`): the
   * client replaces an open connection, resuming with `Last-Event-ID`, and tells how long it heard
   * nothing, so an app whose server cannot resume can refetch what it missed. @default undefined
   */
  onResync?: (info: ResyncInfo) => void
  /** A hide at least this long (ms) counts as a possible silent drop: see `onResync`. @default 60000 */
  resyncAfterHidden?: number
  /**
   * Read the rest of a run again by GET when its stream breaks before its end (a network error, a
   * timeout, a 5xx, a page back from the back/forward cache): the request that started it, a POST
   * say, is never sent again. The run's end (the close data, the close event, or the stream ending)
   * leaves it CLOSED. @default undefined (a request that is not GET is not resumed)
   */
  resume?: ResumeOptions
  /**
   * An event type by which the server says events were lost (a reset): `onResync` hears it with
   * `reason: 'gap'`, and the stream goes on; the event is delivered too. @default undefined
   */
  resetEvent?: string
}

/** What `onResync` is told. */
export interface ResyncInfo {
  /**
   * What happened: the page came back from a back/forward-cache restore, a freeze or a long hide; or
   * `'gap'`, the server said events were lost (a 410 to a request with a last event ID, or `resetEvent`).
   */
  reason: 'pageshow' | 'resume' | 'hidden' | 'gap'
  /** Milliseconds since the stream last gave a sign of life (a byte, or its opening). */
  gapMs: number
  /** The stream's last event ID: the new connection resumes from it (after a 410, it was the one refused). */
  lastEventId: string
}

/** The client's observable state. */
export interface EventSourceState {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSED. */
  readyState: EventSourceReadyState
  /** The latest error, or `null`; cleared when a connection opens. */
  error: EventSourceError | null
  /** The stream's last event ID, sent as `Last-Event-ID` when reconnecting. */
  lastEventId: string
  /** Consecutive failed attempts; 0 once a connection delivers an event. */
  attempt: number
  /** Delay in ms of the scheduled reconnection, or `null` when none is scheduled. */
  retryDelay: number | null
  /** When the scheduled reconnection happens, as a `Date.now()` timestamp, or `null`. */
  retryAt: number | null
  /**
   * Whether the server finished the stream: the close event or the close data arrived, it answered 204,
   * or a request that is not GET, with neither declared, reached the end of its response. `false` again
   * on `open()`. CLOSED with `done` is a complete answer; without it, `close()` or a failure (`error`).
   */
  done: boolean
  /**
   * Where the rest of the current run is read again (`resume`), as its first response named it;
   * `null` before, without `resume`, and again on `open()`. An app may keep it, with `lastEventId`, to
   * pick the run up after a reload.
   */
  resumeUrl: string | null
}

/** Where a client connects: a URL, or a getter read before every attempt (`null` means "nowhere": stay closed). */
export type UrlSource = string | URL | null | undefined | (() => string | URL | null | undefined)
