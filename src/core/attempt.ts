import type { EventSourceHttpError } from './errors'
import type { FetchLike, MaybePromise } from './types'
import { abortable } from './abortable'
import { connectTimeoutMessage, corsMessage, corsRefused, countOpen, crossOrigin, QUEUED_TIMEOUT, queuedMessage, silenceMessage, unreachableMessage, watchQueue } from './diagnose'
import { EventSourceError } from './errors'
import { judgeResponse } from './response'
import { startTimer } from './timer'
import { startWatchdog } from './watchdog'

/** How one attempt ended, or how its response ends it (response.ts's verdict). */
export type AttemptEnd
  /** The server ended the stream normally. */
  = | { kind: 'ended' }
  /** The server answered 204: stop for good. */
    | { kind: 'stop' }
  /** The server answered 401 or 403. */
    | { kind: 'unauthorized', error: EventSourceHttpError }
  /** The attempt failed; `retryable` says whether reconnecting may help. */
    | { kind: 'fail', error: EventSourceError, retryable: boolean, retryAfter: number | null }
  /** The client closed or replaced the attempt. */
    | { kind: 'aborted' }

/** What an attempt hands back to the client while it runs. */
export interface AttemptSteps {
  fetch: FetchLike
  /** Milliseconds without a byte before the attempt is abandoned; 0 for never. */
  heartbeatTimeout: number
  /** Milliseconds to wait for the response headers; 0 for ever. */
  connectTimeout: number
  /** The response was accepted; the body is read once this settles. Throwing rejects the stream. */
  opened: (response: Response) => MaybePromise<void>
  /** Sees every response before it is judged, a 4xx too (the fetchEventSource drop-in's `onopen`); throwing rejects it, as `opened` does. */
  responded?: ((response: Response) => MaybePromise<void>) | undefined
  /** The next piece of decoded body text; throws an `EventSourceError` to abandon the attempt. */
  text: (text: string) => void
}

const STREAM = { stream: true }
function ignore(): void {}

function discard(response: Response): void {
  response.body?.cancel().catch(ignore)
}

/** Classifies an interruption: the client's own abort, a timeout, or a failure. */
function interrupted(signal: AbortSignal, cause?: unknown): AttemptEnd {
  if (!signal.aborted)
    return { kind: 'fail', error: new EventSourceError('network', __DEV__ ? 'The connection failed' : '', { cause }), retryable: true, retryAfter: null }
  if (signal.reason instanceof EventSourceError)
    return { kind: 'fail', error: signal.reason, retryable: true, retryAfter: null }
  return { kind: 'aborted' }
}

/** A custom `fetch` answered with something that is no readable response: a failure, not retried. */
function invalidResponse(cause?: unknown): AttemptEnd {
  return { kind: 'fail', error: new EventSourceError('invalid-response', __DEV__ ? 'fetch gave no readable response' : '', { cause }), retryable: false, retryAfter: null }
}

/** Hands the response to an app's callback: `null` when it accepts it, how the attempt ends when it throws. */
async function accept(step: (response: Response) => MaybePromise<void>, response: Response, signal: AbortSignal): Promise<AttemptEnd | null> {
  try {
    await abortable(step(response), signal)
    return null
  }
  catch (error) {
    discard(response)
    if (signal.aborted)
      return interrupted(signal)
    return { kind: 'fail', error: new EventSourceError('open-rejected', __DEV__ ? 'onOpen rejected the response' : '', { cause: error }), retryable: false, retryAfter: null }
  }
}

/** Whether a custom `fetch` answered with something the attempt can read: a status, headers and a body stream. */
function isReadable(response: unknown): response is Response & { body: ReadableStream<Uint8Array> } {
  if (typeof response !== 'object' || response === null)
    return false
  const { status, headers, body } = response as Partial<Response>
  return typeof status === 'number' && typeof headers?.get === 'function' && (status !== 200 || typeof body?.getReader === 'function')
}

/**
 * One attempt: request, validate the response, read the body, decode it, hand the text over, end.
 * Whatever happens (a `fetch` that throws, hangs or answers nonsense, an `onOpen` that never settles),
 * it ends with an `AttemptEnd`, never a rejection, and an abort (`close()`, the heartbeat) ends it at once.
 */
export async function runAttempt(url: string, init: RequestInit, controller: AbortController, steps: AttemptSteps): Promise<AttemptEnd> {
  const { signal } = controller
  const { heartbeatTimeout, connectTimeout } = steps
  const origin = new URL(url).origin
  // Where the response stands, for the timeouts to say what was (not) seen.
  let headers = false
  let bytes = false
  const watchdog = heartbeatTimeout > 0
    ? startWatchdog(heartbeatTimeout, () => controller.abort(new EventSourceError('heartbeat-timeout', __DEV__ ? (headers ? silenceMessage(heartbeatTimeout, !bytes) : connectTimeoutMessage(origin, heartbeatTimeout)) : '', { limit: heartbeatTimeout })))
    : null
  // [NON-SPEC] the spec waits for a response as long as it takes; a request the browser queues behind
  // its per-origin limit, or a proxy holds, would sit at CONNECTING with no word. Held in the queue (this
  // page holds 6 streams to an HTTP/1.1 origin, now or while this one waits), it is said at once in
  // development, and the attempt fails 15 s after it began instead of after the whole connect timeout.
  const began = Date.now()
  let connectTimer: ReturnType<typeof setTimeout> | undefined
  const failAfter = (limit: number): void => {
    clearTimeout(connectTimer)
    connectTimer = startTimer(() => controller.abort(new EventSourceError('connect-timeout', __DEV__ ? connectTimeoutMessage(origin, limit) : '', { limit })), began + limit - Date.now())
  }
  let unwatch: (() => void) | undefined
  if (connectTimeout > 0) {
    failAfter(connectTimeout)
    unwatch = watchQueue(origin, () => {
      if (__DEV__)
        globalThis.console?.warn(`[vue-event-source] ${queuedMessage(origin)}`)
      if (connectTimeout > QUEUED_TIMEOUT)
        failAfter(QUEUED_TIMEOUT)
    })
  }
  const responded = (): void => {
    clearTimeout(connectTimer)
    unwatch?.()
  }
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  // Whether this attempt counts among the page's open streams to `origin`.
  let counted = false
  // A stream that ignores the signal still ends: cancelling the reader settles a pending read().
  const cancel = (): void => {
    reader?.cancel().catch(ignore)
  }
  signal.addEventListener('abort', cancel, { once: true })
  try {
    let response: Response
    try {
      response = await abortable(steps.fetch(url, init), signal)
    }
    catch (error) {
      responded()
      const corsOrigin = crossOrigin(url)
      if (corsOrigin === null || signal.aborted)
        return interrupted(signal, error)
      // A cross-origin request that failed before any response: CORS refused it, or the server is down.
      // Browsers tell scripts neither; a `no-cors` probe tells them apart.
      const refused = await corsRefused(steps.fetch, url, signal)
      if (signal.aborted)
        return interrupted(signal)
      const failure = refused
        ? new EventSourceError('cors', __DEV__ ? corsMessage(corsOrigin, init) : '', { cause: error })
        : new EventSourceError('network', __DEV__ ? unreachableMessage(corsOrigin) : '', { cause: error })
      return { kind: 'fail', error: failure, retryable: true, retryAfter: null }
    }
    responded()
    headers = true
    watchdog?.touch()
    if (!isReadable(response)) {
      if (signal.aborted)
        return interrupted(signal)
      return invalidResponse()
    }
    const looked = steps.responded === undefined ? null : await accept(steps.responded, response, signal)
    if (looked !== null)
      return looked
    const verdict = judgeResponse(response)
    if (signal.aborted || verdict !== null) {
      discard(response)
      return signal.aborted || verdict === null ? interrupted(signal) : verdict
    }
    const rejected = await accept(steps.opened, response, signal)
    if (rejected !== null)
      return rejected
    reader = response.body.getReader()
    countOpen(origin, 1)
    counted = true
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    try {
      while (true) {
        const { done, value } = await reader.read()
        if (signal.aborted) {
          cancel()
          return interrupted(signal)
        }
        if (done)
          return { kind: 'ended' }
        bytes = true
        watchdog?.touch()
        steps.text(decoder.decode(value, STREAM))
      }
    }
    catch (error) {
      cancel()
      if (error instanceof EventSourceError && !signal.aborted)
        return { kind: 'fail', error, retryable: true, retryAfter: null }
      return interrupted(signal, error)
    }
  }
  catch (error) {
    // Only a response object that broke its own contract gets here (a getter that throws, a body that is not a stream).
    return signal.aborted ? interrupted(signal) : invalidResponse(error)
  }
  finally {
    responded()
    watchdog?.stop()
    signal.removeEventListener('abort', cancel)
    if (counted)
      countOpen(origin, -1)
  }
}
