import type { EventSourceHttpError } from './errors'
import type { FetchLike, MaybePromise } from './types'
import { EventSourceError } from './errors'
import { judgeResponse } from './response'
import { startWatchdog } from './watchdog'

/** How one attempt ended. */
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
  /** The response was accepted; the body is read once this settles. Throwing rejects the stream. */
  opened: (response: Response) => MaybePromise<void>
  /** The next piece of decoded body text; throws an `EventSourceError` to abandon the attempt. */
  text: (text: string) => void
}

const STREAM = { stream: true }
function ignore(): void {}

function discard(response: Response): void {
  response.body?.cancel().catch(ignore)
}

/** Classifies an interruption: the client's own abort, a heartbeat timeout, or a network failure. */
function interrupted(signal: AbortSignal, cause?: unknown): AttemptEnd {
  if (!signal.aborted)
    return { kind: 'fail', error: new EventSourceError('network', 'The connection failed', { cause }), retryable: true, retryAfter: null }
  if (signal.reason instanceof EventSourceError)
    return { kind: 'fail', error: signal.reason, retryable: true, retryAfter: null }
  return { kind: 'aborted' }
}

/** One attempt: request, validate the response, read the body, decode it, hand the text over, end. */
export async function runAttempt(url: string, init: RequestInit, controller: AbortController, steps: AttemptSteps): Promise<AttemptEnd> {
  const { signal } = controller
  const { heartbeatTimeout } = steps
  const watchdog = heartbeatTimeout > 0
    ? startWatchdog(heartbeatTimeout, () => controller.abort(new EventSourceError('heartbeat-timeout', `No data for ${heartbeatTimeout} ms`, { limit: heartbeatTimeout })))
    : null
  try {
    let response: Response
    try {
      response = await steps.fetch(url, init)
    }
    catch (error) {
      return interrupted(signal, error)
    }
    watchdog?.touch()
    const verdict = judgeResponse(response)
    if (signal.aborted || verdict.kind !== 'open' || response.body === null) {
      discard(response)
      if (signal.aborted)
        return interrupted(signal)
      return verdict.kind === 'open' ? { kind: 'ended' } : verdict
    }
    try {
      await steps.opened(response)
    }
    catch (error) {
      discard(response)
      if (signal.aborted)
        return interrupted(signal)
      return { kind: 'fail', error: new EventSourceError('open-rejected', 'onOpen rejected the response', { cause: error }), retryable: false, retryAfter: null }
    }
    const reader = response.body.getReader()
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    try {
      while (true) {
        const { done, value } = await reader.read()
        if (signal.aborted) {
          reader.cancel().catch(ignore)
          return interrupted(signal)
        }
        if (done)
          return { kind: 'ended' }
        watchdog?.touch()
        steps.text(decoder.decode(value, STREAM))
      }
    }
    catch (error) {
      reader.cancel().catch(ignore)
      if (error instanceof EventSourceError && !signal.aborted)
        return { kind: 'fail', error, retryable: true, retryAfter: null }
      return interrupted(signal, error)
    }
  }
  finally {
    watchdog?.stop()
  }
}
