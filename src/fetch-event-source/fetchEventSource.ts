/**
 * `@microsoft/fetch-event-source` 2.0.1's `fetchEventSource`, on this library's core: its signature and
 * callback contract (`onopen`, `onmessage`, `onclose`, `onerror` returning a delay or throwing to stop,
 * `openWhenHidden`, `signal`, the returned promise), with the spec's parser and our reconnection rules.
 */
import type { EventSourceError } from '../core/index'
import type { Source } from '../core/internal'
import { CLOSED } from '../core/index'
import { createClient } from '../core/internal'
import { pageSignals } from '../platform/pageSignals'

/** The content type of an event stream. */
export const EventStreamContentType = 'text/event-stream'

/** One message, in fetch-event-source's shape. */
export interface EventSourceMessage {
  /** The stream's last event ID at dispatch (as `MessageEvent.lastEventId`). */
  id: string
  /** The `event:` type, or `''` for a message that named none (or named `message`). */
  event: string
  /** The data, `data:` lines joined with `\n`. */
  data: string
  /** Never set: a `retry:` field sets the reconnection time and is not a message. */
  retry?: number
}

/** fetch-event-source's options: a `RequestInit` and its callbacks. */
export interface FetchEventSourceInit extends Omit<RequestInit, 'headers'> {
  /** Request headers. @default {} */
  headers?: Record<string, string>
  /**
   * Called with every response, a 4xx and a wrong content type too, as in fetch-event-source; throwing
   * passes what was thrown, unchanged, to `onerror`, which decides whether to retry (and the promise
   * rejects with what `onerror` throws). A response it lets through is then judged by this library's
   * rules (a 401 or 404 stops, a 503 is retried with backoff).
   * @default undefined
   */
  onopen?: (response: Response) => Promise<void> | void
  /** Called with every message. @default undefined */
  onmessage?: (message: EventSourceMessage) => void
  /** Called when the server ends the stream (or answers 204); throwing passes the error to `onerror`. @default undefined */
  onclose?: () => void
  /**
   * Called with every error that may be retried: return a delay in ms, return nothing for the default
   * backoff, or throw to stop (the promise rejects with what was thrown). Told of a fatal error too
   * (a 4xx, a wrong content type) before the promise rejects with it. @default undefined
   */
  onerror?: (error: any) => number | null | undefined | void
  /** Keep the connection while the page is hidden; otherwise a GET closes when hidden and resumes when visible. @default false */
  openWhenHidden?: boolean
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: typeof fetch
}

const urlOf = (input: RequestInfo | URL): string => typeof input === 'object' && 'url' in input ? input.url : String(input)

/** Connects and reads an event stream; resolves when aborted or ended, rejects when `onerror` throws or the stream fails for good. */
export function fetchEventSource(input: RequestInfo | URL, init: FetchEventSourceInit = {}): Promise<void> {
  const { signal, headers, onopen, onmessage, onclose, onerror, openWhenHidden, fetch: fetchOption, method, body, credentials, ...rest } = init
  return new Promise<void>((resolve, reject) => {
    // Fixed here: an already-aborted signal is honoured: no request at all
    if (signal?.aborted)
      return resolve()
    let settled = false
    // Set when the core reports a clean end through the delay function, which closes the client.
    let ended = false
    let reopen: ReturnType<typeof setTimeout> | undefined
    let client: Source<string, Record<never, never>> | undefined
    const baseFetch = fetchOption ?? ((url: string, requestInit: RequestInit) => globalThis.fetch(url, requestInit))
    function settle(outcome: { error: unknown } | null): void {
      if (settled)
        return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      clearTimeout(reopen)
      client?.close()
      if (outcome === null)
        resolve()
      else
        reject(outcome.error)
    }
    function onAbort(): void {
      settle(null)
    }
    /** Asks `onerror`: its delay, `undefined` for the default, or it threw and the promise rejects. */
    function ask(error: unknown): number | undefined {
      let answer: unknown
      try {
        answer = onerror?.(error)
      }
      catch (thrown) {
        settle({ error: thrown })
        return undefined
      }
      return typeof answer === 'number' ? answer : undefined
    }
    /** After a close the core made final: `onerror` may still ask for another try. */
    function retryAfterClose(error: unknown): void {
      const delay = ask(error)
      if (!settled)
        reopen = setTimeout(() => client?.open(), delay ?? 1000)
    }
    client = createClient(urlOf(input), {
      method,
      headers,
      body: body as never,
      withCredentials: credentials === 'include',
      fetch: Object.keys(rest).length === 0 ? baseFetch : (url, requestInit) => baseFetch(url, { ...rest, ...requestInit }),
      pauseWhenHidden: openWhenHidden !== true,
      signals: openWhenHidden === true ? undefined : pageSignals(),
      onResponse: onopen,
      reconnect: {
        delay: (_attempt, error) => {
          // a clean end is told to onclose: close here, and the subscriber below reports it
          if (error === null) {
            ended = true
            client?.close()
            return 0
          }
          const delay = ask(error)
          if (settled)
            client?.close()
          return delay
        },
      },
      onError: (error) => {
        // Fixed here: an onmessage that throws leaves the stream as it is, and is not silent
        if (error.type === 'handler')
          globalThis.console?.error(error)
      },
    })
    client.listen((message) => {
      onmessage?.({ id: message.lastEventId, event: message.event === 'message' ? '' : message.event, data: message.raw })
    }, [])
    client.subscribe((state) => {
      if (settled || state.readyState !== CLOSED)
        return
      const error = state.error as EventSourceError | null
      // a data error (an onmessage that threw) left in the state is no reason the stream closed
      if (ended || error === null || error.type === 'handler' || error.type === 'parse') {
        ended = false
        // the stream ended (or a 204 stopped it): onclose decides, by throwing, whether to go on
        try {
          onclose?.()
        }
        catch (thrown) {
          return retryAfterClose(thrown)
        }
        return settle(null)
      }
      // onopen threw: its error goes to onerror, which may retry
      if (error.type === 'open-rejected')
        return retryAfterClose(error.cause)
      // Fixed here: a 401 or another final failure stops instead of being retried every second for ever
      ask(error)
      settle({ error })
    })
    signal?.addEventListener('abort', onAbort)
    client.open()
  })
}
