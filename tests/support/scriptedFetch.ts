/**
 * A `fetch` that answers from a script instead of the network, for policy tests on virtual time
 * (`vi.useFakeTimers()`): no sockets, no real waiting, and every call recorded with `Date.now()`.
 */
import type { FetchLike } from '../../src/core/types'

/** One scripted answer. */
export interface ScriptedResponse {
  /** HTTP status. @default 200 */
  status?: number
  /** Response headers. @default { 'content-type': 'text/event-stream' } for a 200, none otherwise */
  headers?: Record<string, string>
  /** Body chunks, sent at once in this order. @default [] */
  body?: string | string[]
  /** Keep the body open after `body`: the test sends more with `call.push()` and ends it with `call.end()`. @default false */
  open?: boolean
  /** Never answer: the request hangs until its signal aborts. @default false */
  hang?: boolean
  /** Reject the request with this, as a network failure does. */
  reject?: unknown
}

/** One request the client made, and the handle on its response. */
export interface ScriptedCall {
  /** 0 for the first request, 1 for the next, … */
  index: number
  url: string
  method: string
  /** Request headers, names in lower case. */
  headers: Record<string, string>
  /** `Date.now()` when the request was made. */
  at: number
  /** The request's signal. */
  signal: AbortSignal
  /** Whether the client aborted the request. */
  readonly aborted: boolean
  /** Sends `text` down the open body; throws once the body is closed, errored or aborted. */
  push: (text: string) => void
  /** Ends the open body normally. */
  end: () => void
  /** Errors the open body, as a dropped connection does. */
  fail: (error?: unknown) => void
}

export interface ScriptedFetch extends FetchLike {
  /** Every request so far, in order. */
  readonly calls: ScriptedCall[]
}

// Statuses whose response cannot have a body.
const NULL_BODY = new Set([101, 103, 204, 205, 304])

/**
 * Creates the fetch. Request `n` is answered with `script[n]`, or the script's result for `n` when it is a
 * function; once an array runs out, its last entry answers every further request.
 */
export function scriptedFetch(script: ScriptedResponse[] | ((index: number) => ScriptedResponse)): ScriptedFetch {
  const calls: ScriptedCall[] = []
  const answerFor = (index: number): ScriptedResponse => {
    if (typeof script === 'function')
      return script(index)
    const entry = script[Math.min(index, script.length - 1)]
    if (entry === undefined)
      throw new Error('scriptedFetch: the script is empty')
    return entry
  }
  const encoder = new TextEncoder()

  const fetch = (input: string, init: RequestInit): Promise<Response> => {
    const signal = init.signal ?? new AbortController().signal
    const answer = answerFor(calls.length)
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined
    let settled = false
    const call: ScriptedCall = {
      index: calls.length,
      url: input,
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      at: Date.now(),
      signal,
      get aborted() {
        return signal.aborted
      },
      push(text) {
        if (controller === undefined || settled)
          throw new Error(`scriptedFetch: the body of request ${call.index} is not open`)
        controller.enqueue(encoder.encode(text))
      },
      end() {
        if (controller === undefined || settled)
          throw new Error(`scriptedFetch: the body of request ${call.index} is not open`)
        settled = true
        controller.close()
      },
      fail(error = new TypeError('terminated')) {
        if (controller === undefined || settled)
          throw new Error(`scriptedFetch: the body of request ${call.index} is not open`)
        settled = true
        controller.error(error)
      },
    }
    calls.push(call)

    return new Promise<Response>((resolve, reject) => {
      // As fetch does: an aborted signal rejects the request, or errors the body once it is answered.
      const onAbort = (): void => {
        if (controller === undefined) {
          reject(signal.reason)
        }
        else if (!settled) {
          settled = true
          controller.error(signal.reason)
        }
      }
      if (signal.aborted)
        return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      if (answer.hang)
        return
      if (answer.reject !== undefined) {
        signal.removeEventListener('abort', onAbort)
        return reject(answer.reject)
      }
      const status = answer.status ?? 200
      const headers = answer.headers ?? (status === 200 ? { 'content-type': 'text/event-stream' } : {})
      const chunks = typeof answer.body === 'string' ? [answer.body] : answer.body ?? []
      let body: ReadableStream<Uint8Array> | null = null
      if (!NULL_BODY.has(status)) {
        body = new ReadableStream<Uint8Array>({
          start(streamController) {
            controller = streamController
            for (const chunk of chunks)
              streamController.enqueue(encoder.encode(chunk))
            if (answer.open !== true) {
              settled = true
              streamController.close()
            }
          },
          cancel() {
            settled = true
          },
        })
      }
      else {
        // Nothing to error later: an abort after the answer changes nothing.
        signal.removeEventListener('abort', onAbort)
        settled = true
      }
      resolve(new Response(body, { status, headers }))
    })
  }

  return Object.assign(fetch, { calls })
}
