/**
 * The browser's `EventSource`, on this library's core: the WHATWG interface, extended by an optional
 * second argument for what the spec cannot do (headers, a token, a method and body, a heartbeat).
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 */
import type { EventSourceOptions, EventSourceState, FetchLike, ReconnectOptions, RequestBody, TokenSource } from '../core/index'
import type { Source } from '../core/internal'
import { CLOSED, CONNECTING, OPEN } from '../core/index'
import { createClient } from '../core/internal'
import { EventSourceErrorEvent } from './errorEvent'
import { queueTask } from './taskQueue'

/** The spec's `EventSourceInit`, plus what fetch makes possible. */
export interface EventSourceInit {
  /** Send cookies and HTTP auth cross-origin. @default false */
  withCredentials?: boolean
  /** Request headers, or a getter read before every attempt. @default {} */
  headers?: EventSourceOptions['headers']
  /** Bearer token sent as `Authorization: Bearer <token>`; a function is called afresh before every attempt. @default undefined */
  token?: TokenSource
  /** HTTP method; a request that is not GET is not re-sent when its stream ends. @default 'GET' */
  method?: string
  /** Request body, or a getter; plain objects and arrays are sent as JSON. @default undefined */
  body?: RequestBody | (() => RequestBody)
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: FetchLike
  /** Milliseconds without a byte after which the connection is replaced; 0 turns it off. @default 0 */
  heartbeatTimeout?: number
  /**
   * Reconnection policy (see the core's `reconnect`), or `false` for none. By default, as the spec says:
   * a stream that ends or a network failure reconnects (with backoff), a status other than 200 fails.
   * @default spec behaviour for GET, false for other methods
   */
  reconnect?: boolean | ReconnectOptions
  /** Also send the last event ID as this query parameter. @default undefined */
  lastEventIdParam?: string
  /** Send the last event ID as the `Last-Event-ID` header. @default true */
  lastEventIdHeader?: boolean
}

type Handler<E extends Event> = ((this: EventSource, event: E) => unknown) | null

// [spec] a status other than 200 fails the connection; the core's own default retries 408, 429 and 5xx
const SPEC_RECONNECT: ReconnectOptions = { retryStatus: () => false }

function resolveUrl(url: string | URL): string {
  const scope = globalThis as { document?: { baseURI?: string }, location?: { href?: string } }
  try {
    return new URL(String(url), scope.document?.baseURI ?? scope.location?.href).href
  }
  catch {
    // [spec] an URL that does not parse throws a "SyntaxError" DOMException, with the `eventsource` npm
    // package's message, which code written against it may match
    throw new DOMException('An invalid or illegal string was specified', 'SyntaxError')
  }
}

/** A drop-in for the browser's `EventSource`, in browsers, workers and Node. */
// eslint-disable-next-line ts/no-unsafe-declaration-merging -- types only: typed listeners, as lib.dom declares EventSource's
export class EventSource extends EventTarget {
  static readonly CONNECTING = CONNECTING
  static readonly OPEN = OPEN
  static readonly CLOSED = CLOSED
  declare readonly CONNECTING: typeof CONNECTING
  declare readonly OPEN: typeof OPEN
  declare readonly CLOSED: typeof CLOSED

  readonly #url: string
  readonly #withCredentials: boolean
  readonly #client: Source<string, Record<never, never>>
  // [spec] readyState changes in the task that fires the event announcing it; close() sets it at once
  #readyState: number = CONNECTING
  #origin = ''
  readonly #handlers = new Map<string, Handler<Event>>()

  constructor(url: string | URL, init: EventSourceInit = {}) {
    super()
    this.#url = resolveUrl(url)
    this.#withCredentials = init.withCredentials === true
    const method = (init.method ?? 'GET').toUpperCase()
    this.#client = createClient(this.#url, {
      withCredentials: this.#withCredentials,
      headers: init.headers,
      token: init.token,
      method: init.method,
      body: init.body,
      fetch: init.fetch,
      heartbeatTimeout: init.heartbeatTimeout,
      lastEventIdParam: init.lastEventIdParam,
      lastEventIdHeader: init.lastEventIdHeader,
      reconnect: init.reconnect ?? (method === 'GET' ? SPEC_RECONNECT : false),
      onOpen: (response) => {
        this.#origin = new URL(response.url || this.#url).origin
      },
    })
    this.#client.listen((message) => {
      queueTask(() => {
        if (this.#readyState !== CLOSED)
          this.dispatchEvent(new MessageEvent(message.event, { data: message.raw, origin: this.#origin, lastEventId: message.lastEventId }))
      })
    }, [])
    let previous: EventSourceState = { ...this.#client.state }
    this.#client.subscribe((state) => {
      const before = previous
      previous = { ...state }
      if (state.readyState === OPEN && before.readyState !== OPEN) {
        this.#announce(OPEN, new Event('open'))
      }
      // [spec] "reestablish the connection": CONNECTING and an error event, then the wait
      else if (state.readyState === CONNECTING && state.retryAt !== null && state.retryAt !== before.retryAt) {
        // [spec] a CORS refusal is a network error that the fetch's result says is fatal: fail the
        // connection, as browsers do (the client tells a refusal from a server that is down)
        if (state.error?.type === 'cors')
          return this.#client.close()
        this.#announce(CONNECTING, new EventSourceErrorEvent(state.error))
      }
      // [spec] "fail the connection" (a 204 among the causes): CLOSED and an error event; close() fires none
      else if (state.readyState === CLOSED && before.readyState !== CLOSED) {
        this.#announce(CLOSED, new EventSourceErrorEvent(state.error, state.done && state.error === null && method === 'GET'))
      }
    })
    this.#client.open()
  }

  #announce(readyState: number, event: Event): void {
    queueTask(() => {
      if (this.#readyState === CLOSED)
        return
      this.#readyState = readyState
      this.dispatchEvent(event)
    })
  }

  /** [spec] an event handler attribute: its listener joins the list when first set, and calls what is set now. */
  #setHandler(type: string, handler: Handler<Event>): void {
    if (!this.#handlers.has(type))
      this.addEventListener(type, event => this.#handlers.get(type)?.call(this, event))
    this.#handlers.set(type, typeof handler === 'function' ? handler : null)
  }

  /** The absolute URL connected to. */
  get url(): string {
    return this.#url
  }

  /** Whether cookies are sent cross-origin. */
  get withCredentials(): boolean {
    return this.#withCredentials
  }

  /** 0 CONNECTING, 1 OPEN, 2 CLOSED. */
  get readyState(): number {
    return this.#readyState
  }

  get onopen(): Handler<Event> {
    return this.#handlers.get('open') ?? null
  }

  set onopen(handler: Handler<Event>) {
    this.#setHandler('open', handler)
  }

  get onmessage(): Handler<MessageEvent> {
    return this.#handlers.get('message') ?? null
  }

  set onmessage(handler: Handler<MessageEvent>) {
    this.#setHandler('message', handler as Handler<Event>)
  }

  get onerror(): Handler<EventSourceErrorEvent> {
    return this.#handlers.get('error') ?? null
  }

  set onerror(handler: Handler<EventSourceErrorEvent>) {
    this.#setHandler('error', handler as Handler<Event>)
  }

  /** [spec] aborts the request, stops reconnecting, readyState CLOSED; no error event. */
  close(): void {
    this.#readyState = CLOSED
    this.#client.close()
  }
}

for (const [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSED', CLOSED]] as const)
  Object.defineProperty(EventSource.prototype, name, { value, enumerable: true })
// As the `eventsource` npm package marks its class: code that checks for it may pass `fetch` in the options.
Object.defineProperty(EventSource, Symbol.for('eventsource.supports-fetch-override'), { value: true })

/** Listeners of the drop-in receive `MessageEvent`s (and `EventSourceErrorEvent`s for `error`). */
// eslint-disable-next-line ts/no-unsafe-declaration-merging -- see the class
export interface EventSource {
  addEventListener: {
    (type: 'error', listener: (this: EventSource, event: EventSourceErrorEvent) => unknown, options?: boolean | AddEventListenerOptions): void
    (type: string, listener: (this: EventSource, event: MessageEvent) => unknown, options?: boolean | AddEventListenerOptions): void
    (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void
  }
  removeEventListener: {
    (type: string, listener: (this: EventSource, event: MessageEvent) => unknown, options?: boolean | EventListenerOptions): void
    (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void
  }
}
