/**
 * `event-source-polyfill` 1.0.31's `EventSourcePolyfill`, on the drop-in `EventSource`: its options, its
 * 45-second heartbeat, and the last event ID sent in the query (`?lastEventId=`) instead of the
 * `Last-Event-ID` header, which a cross-origin server must allow.
 */
import type { EventSourceInit } from './EventSource'
import { EventSource } from './EventSource'

/** event-source-polyfill's options, and the drop-in's extensions. */
export interface EventSourcePolyfillInit extends Omit<EventSourceInit, 'headers' | 'lastEventIdParam' | 'lastEventIdHeader'> {
  /** Request headers, sent on every attempt. @default {} */
  headers?: Record<string, string>
  /** Milliseconds without a byte after which the connection is replaced (at least 1000). @default 45000 */
  heartbeatTimeout?: number
  /** The query parameter that carries the last event ID. @default 'lastEventId' */
  lastEventIdQueryParameterName?: string
}

// event-source-polyfill clamps durations to 1 s – 5 h.
const clamp = (ms: number): number => Math.min(Math.max(ms, 1000), 18_000_000)

/** A drop-in for `event-source-polyfill`'s `EventSourcePolyfill`. */
export class EventSourcePolyfill extends EventSource {
  /** The headers given, as event-source-polyfill exposes them. */
  readonly headers: Record<string, string>
  readonly #given: string

  constructor(url: string | URL, options: EventSourcePolyfillInit = {}) {
    const { headers = {}, heartbeatTimeout, lastEventIdQueryParameterName, ...rest } = options
    const heartbeat = Number.parseInt(String(heartbeatTimeout ?? 45_000), 10)
    super(url, {
      ...rest,
      headers,
      heartbeatTimeout: clamp(Number.isNaN(heartbeat) ? 45_000 : heartbeat),
      lastEventIdParam: lastEventIdQueryParameterName || 'lastEventId',
      lastEventIdHeader: false,
    })
    this.headers = headers
    this.#given = String(url)
  }

  /** The URL as it was passed, unresolved, as event-source-polyfill keeps it (the requests go to the resolved one). */
  override get url(): string {
    return this.#given
  }
}
