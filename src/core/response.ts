/**
 * What a response means, after the fetch steps of the WHATWG HTML standard's EventSource constructor
 * (a 200 with `text/event-stream` announces the connection; anything else fails it):
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 * Departures are tagged `[NON-SPEC]` where they are decided.
 */
import type { AttemptEnd } from './attempt'
import { EventSourceError, EventSourceHttpError } from './errors'
import { parseRetryAfter } from './retry'

/** Whether a Content-Type names `text/event-stream` (parameters such as `charset` allowed). */
export function isEventStream(contentType: string | null): boolean {
  if (contentType === null)
    return false
  const semicolon = contentType.indexOf(';')
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === 'text/event-stream'
}

/** Judges a response by its status and Content-Type: how it ends the attempt, or `null` when it opens the stream. */
export function judgeResponse(response: Response): AttemptEnd | null {
  const { status } = response
  // [spec] 204 No Content tells the client to stop reconnecting
  if (status === 204)
    return { kind: 'stop' }
  if (status === 401 || status === 403)
    return { kind: 'unauthorized', error: new EventSourceHttpError(status, null) }
  if (status !== 200) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
    // [NON-SPEC] the spec fails the connection on any status but 200; 408, 429 and 5xx are retried
    // with backoff because services restart and shed load, and Retry-After is honoured
    const retryable = status === 408 || status === 429 || status >= 500
    return { kind: 'fail', error: new EventSourceHttpError(status, retryAfter), retryable, retryAfter }
  }
  const contentType = response.headers.get('content-type')
  // [spec] a 200 that is not text/event-stream fails the connection for good
  if (!isEventStream(contentType))
    return { kind: 'fail', error: new EventSourceError('content-type', __DEV__ ? `Expected Content-Type text/event-stream, got ${contentType ?? 'none'}` : '', { contentType }), retryable: false, retryAfter: null }
  return null
}
