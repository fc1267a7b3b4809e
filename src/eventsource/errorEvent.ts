import type { EventSourceError } from '../core/index'
import { EventSourceHttpError } from '../core/index'

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

  constructor(error: EventSourceError | null) {
    super('error')
    this.error = error
    this.code = error instanceof EventSourceHttpError ? error.status : undefined
    this.message = error?.message
  }

  /** The HTTP status again, under the name event-source-polyfill gives it. */
  get status(): number | undefined {
    return this.code
  }
}
