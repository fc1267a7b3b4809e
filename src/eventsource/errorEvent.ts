import type { EventSourceError } from '../core/index'
import { EventSourceHttpError } from '../core/index'

/**
 * The `message` the `eventsource` npm package gives the same failure, for code written against it
 * (`if (e.message.includes('Non-200'))`, a match on the fetch failure): the failure's own words where
 * there are some, in production builds too.
 */
function describe(error: EventSourceError | null, stopped: boolean): string | undefined {
  if (error === null)
    return stopped ? 'Server sent HTTP 204, not reconnecting' : undefined
  if (error instanceof EventSourceHttpError)
    return `Non-200 status code (${error.status})`
  if (error.type === 'content-type')
    return 'Invalid content type, expected "text/event-stream"'
  if (error.type === 'invalid-response')
    return 'Invalid response body, expected a web ReadableStream'
  // A fetch that failed: what the runtime said ("fetch failed", "Failed to fetch", "Load failed") and why.
  const cause = error.cause
  if ((error.type === 'network' || error.type === 'cors') && cause instanceof Error)
    return cause.cause instanceof Error ? `${cause.message}: ${cause.cause.message}` : cause.message
  return error.message
}

/**
 * The `error` event of the drop-in `EventSource`: an `Event` as the spec fires, extended as the
 * `eventsource` npm package does with the HTTP status (`code`) and a `message`, and with the typed
 * `error` of this library. Neither carries a token or a header value.
 */
export class EventSourceErrorEvent extends Event {
  /** The HTTP status of a response that failed the connection, else `undefined`. */
  readonly code: number | undefined
  /** What went wrong, in words; `undefined` when the stream just ended and is being reconnected. */
  readonly message: string | undefined
  /** The library's typed error (its `type` says what went wrong), or `null` after a clean end. */
  readonly error: EventSourceError | null

  /** `stopped`: the server answered 204, which is no error of the library's but closes the stream. */
  constructor(error: EventSourceError | null, stopped = false) {
    super('error')
    this.error = error
    // A wrong content type, or a body that is no stream, came with a 200.
    this.code = error instanceof EventSourceHttpError ? error.status : error?.type === 'content-type' || error?.type === 'invalid-response' ? 200 : stopped ? 204 : undefined
    this.message = describe(error, stopped)
  }

  /** The HTTP status again, under the name event-source-polyfill gives it. */
  get status(): number | undefined {
    return this.code
  }
}
