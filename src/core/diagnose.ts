/**
 * What the client can tell about failures the browser explains to no script: a cross-origin request
 * refused by CORS, the per-origin connection limit, a proxy that buffers. The core reads no browser
 * API; `globalThis.location` (absent in Node and workers without one) names the page's origin.
 */

/** Browsers allow this many HTTP/1.1 connections per origin, shared by every tab of the profile. */
export const PER_ORIGIN_LIMIT = 6

// The streams of this page that have their response open, by origin: the package knows its own.
const openByOrigin = new Map<string, number>()

/** Counts a stream with an open response to `origin` (`by` 1), or one that ended (`by` -1). */
export function countOpen(origin: string, by: 1 | -1): void {
  const count = (openByOrigin.get(origin) ?? 0) + by
  if (count > 0)
    openByOrigin.set(origin, count)
  else
    openByOrigin.delete(origin)
}

/** How many of this page's streams have their response open to `origin`. */
export function openTo(origin: string): number {
  return openByOrigin.get(origin) ?? 0
}

/** The origin of `url` when it differs from the page's, else `null` (same origin, or no page). */
export function crossOrigin(url: string): string | null {
  const page = (globalThis as { location?: { origin?: string } }).location?.origin
  const target = new URL(url).origin
  return page === undefined || page === 'null' || page === target ? null : target
}

/** A cross-origin request that failed before any response: CORS is the likely cause. */
export function corsMessage(origin: string, sentLastEventId: boolean): string {
  return `No response from ${origin}: likely CORS (it must allow this origin${sentLastEventId ? ' and the Last-Event-ID header' : ''}), or it is unreachable`
}

/** The preflight for Last-Event-ID was refused, and the stream resumed without the header. */
export function lastEventIdRefusedMessage(origin: string): string {
  return `${origin} refused Last-Event-ID (CORS): allow it in Access-Control-Allow-Headers, or use lastEventIdParam; resumed without it, events may have been missed`
}

/** No response headers within the connect timeout. */
export function connectTimeoutMessage(origin: string, timeout: number): string {
  const open = openTo(origin)
  return `No response headers in ${timeout} ms: ${open >= PER_ORIGIN_LIMIT
    ? `this page holds ${open} streams to ${origin}, the per-origin limit; share them (useSharedEventSource, shareAcrossTabs) or use HTTP/2`
    : 'a slow server, a buffering proxy or the per-origin limit'}`
}

/** No byte for the heartbeat timeout; `afterHeaders` when the headers came and then nothing did. */
export function silenceMessage(timeout: number, afterHeaders: boolean): string {
  return `No data for ${timeout} ms${afterHeaders ? ' after the headers: a buffering proxy (proxy_buffering, gzip)?' : ''}`
}
