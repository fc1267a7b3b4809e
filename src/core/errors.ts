/**
 * What went wrong, as a string to branch on; callers never need to parse a message.
 *
 * Connection errors: `network`, `http-status`, `content-type`, `heartbeat-timeout`, `event-too-large`,
 * `token`, `open-rejected`, `invalid-response` (a custom `fetch` answered with something unreadable),
 * `last-event-id` (the server's last event ID cannot be sent; the client resumes without it), `cors` (a
 * cross-origin request failed before any response, most likely refused by CORS), `connect-timeout` (no
 * response headers in time), `incomplete` (the stream ended before the end the app declared with
 * `closeData` or `closeEvent`: an answer cut off; also a resume that found nothing more), `resume` (the
 * response that started a run named no resume URL: a break cannot be resumed). Data errors, which never touch the connection: `parse`, `handler`.
 * Bad input: `invalid-option`.
 */
export type EventSourceErrorType
  = | 'invalid-option'
    | 'network'
    | 'http-status'
    | 'content-type'
    | 'heartbeat-timeout'
    | 'event-too-large'
    | 'token'
    | 'open-rejected'
    | 'invalid-response'
    | 'last-event-id'
    | 'cors'
    | 'connect-timeout'
    | 'incomplete'
    | 'resume'
    | 'parse'
    | 'handler'

/** Data an error may carry, depending on its type. */
export interface EventSourceErrorDetails {
  /** The underlying error (a fetch rejection, a thrown handler error, …). */
  cause?: unknown
  /** The `Content-Type` the server answered with (`content-type`). */
  contentType?: string | null
  /** The limit that was crossed: characters for `event-too-large`, milliseconds for `heartbeat-timeout`, `connect-timeout` and `token`. */
  limit?: number
}

/** Every error this library reports or throws is an `EventSourceError` with a `type`. */
export class EventSourceError extends Error {
  /** What went wrong. */
  readonly type: EventSourceErrorType
  /** The `Content-Type` the server answered with, for `content-type` errors. */
  readonly contentType?: string | null
  /** The limit that was crossed, for `event-too-large`, `heartbeat-timeout` and `token` errors. */
  readonly limit?: number

  /** `message` explains what happened; production builds pass `''` and the message is the type alone. */
  constructor(type: EventSourceErrorType, message: string, details: EventSourceErrorDetails = {}) {
    super(message || type, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'EventSourceError'
    this.type = type
    if (details.contentType !== undefined)
      this.contentType = details.contentType
    if (details.limit !== undefined)
      this.limit = details.limit
  }
}

/** The server answered with a status other than 200 (`type: 'http-status'`). */
export class EventSourceHttpError extends EventSourceError {
  /** The HTTP status code. */
  readonly status: number
  /** The server's `Retry-After`, in milliseconds, or `null` when it sent none. */
  readonly retryAfter: number | null

  constructor(status: number, retryAfter: number | null) {
    super('http-status', `The server answered ${status}`)
    this.name = 'EventSourceHttpError'
    this.status = status
    this.retryAfter = retryAfter
  }
}

/** A value passed in is unusable: an invalid URL, a negative delay, a handler that is not a function. */
export class EventSourceOptionError extends EventSourceError {
  /** The option at fault, for example `url`, `reconnect.delay` or `handler`. */
  readonly option: string

  /** `message` says what was expected; production builds pass `''` and the message names the option alone. */
  constructor(option: string, message: string) {
    super('invalid-option', `Invalid ${option}${message && `: ${message}`}`)
    this.name = 'EventSourceOptionError'
    this.option = option
  }
}

/** An event arrived but could not be handed over: its data failed to parse, or a handler threw. */
export class EventSourceDataError extends EventSourceError {
  /** The event's type. */
  readonly event: string
  /** The event's raw data, as it came off the wire. */
  readonly raw: string
  /** The stream's last event ID when the event was dispatched. */
  readonly lastEventId: string
  /** For data a Standard Schema rejected: each issue's message and path (the keys leading to it). */
  readonly issues?: readonly { message: string, path: PropertyKey[] }[]

  constructor(type: 'parse' | 'handler', event: { event: string, raw: string, lastEventId: string }, cause: unknown, issues?: readonly { message: string, path: PropertyKey[] }[]) {
    const what = type === 'parse' ? 'could not be parsed' : 'was not handled: a handler threw'
    super(type, `The "${event.event}" event ${what}`, { cause })
    this.name = 'EventSourceDataError'
    this.event = event.event
    this.raw = event.raw
    this.lastEventId = event.lastEventId
    if (issues !== undefined)
      this.issues = issues
  }
}

/** Where an error thrown by an error callback or a state subscriber goes: the console, the only place left to tell. */
export function lastResort(error: unknown): void {
  globalThis.console?.error(error)
}

/** The message of whatever was thrown, for an error that wraps it. */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown)
}

/** Calls a user callback; what it throws goes to the console, never into the state machine. */
export function callSafely<T>(callback: ((value: T) => void) | undefined, value: T): void {
  try {
    callback?.(value)
  }
  catch (thrown) {
    lastResort(thrown)
  }
}
