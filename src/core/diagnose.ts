/**
 * What the client can tell about failures the browser explains to no script: a cross-origin request
 * refused by CORS, the per-origin connection limit, a proxy that buffers. The core reads no browser
 * API; `globalThis.location` (absent in Node and workers without one) names the page's origin.
 */
import type { FetchLike } from './types'
import { startTimer } from './timer'

/** How long a `no-cors` probe may take before its silence counts as "unreachable". */
const PROBE_TIMEOUT = 5000

/**
 * [NON-SPEC] after a cross-origin request failed before any response, where a script cannot tell a CORS
 * refusal from a network failure: a `no-cors` HEAD to the same URL that gets any answer proves the
 * server answered (so CORS refused), one that fails means the network or a server that is down. The
 * answer is dropped at once; nothing is read from it (a `no-cors` response is opaque).
 */
export async function corsRefused(fetch: FetchLike, url: string, signal: AbortSignal): Promise<boolean> {
  const probe = new AbortController()
  const stop = (): void => probe.abort()
  signal.addEventListener('abort', stop, { once: true })
  const timer = startTimer(stop, PROBE_TIMEOUT)
  try {
    await fetch(url, { method: 'HEAD', mode: 'no-cors', credentials: 'omit', cache: 'no-store', signal: probe.signal })
    return true
  }
  catch {
    return false
  }
  finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', stop)
    probe.abort()
  }
}

/** Browsers allow this many HTTP/1.1 connections per origin, shared by every tab of the profile. */
export const PER_ORIGIN_LIMIT = 6

// The streams of this page that have their response open, by origin: the package knows its own.
const openByOrigin = new Map<string, number>()

// Attempts to an origin waiting for their response headers, each told once if the page's queue holds it.
const waiting = new Set<[origin: string, onQueued: () => void]>()

/** Counts a stream with an open response to `origin` (`by` 1), or one that ended (`by` -1). */
export function countOpen(origin: string, by: 1 | -1): void {
  const count = (openByOrigin.get(origin) ?? 0) + by
  if (count > 0)
    openByOrigin.set(origin, count)
  else
    openByOrigin.delete(origin)
  if (queues(origin)) {
    for (const entry of waiting) {
      if (entry[0] === origin) {
        waiting.delete(entry)
        entry[1]()
      }
    }
  }
}

/** [NON-SPEC] The longest a stream held in the browser's queue waits for its headers: 15 s. */
export const QUEUED_TIMEOUT = 15_000

// The protocols that carry many streams on one connection: no per-origin queue.
const MULTIPLEXED = /^h[23]/

/**
 * [NON-SPEC] Whether a stream to `origin` still waiting for its headers is held in the browser's queue:
 * this page holds `PER_ORIGIN_LIMIT` streams open to it, and no Resource Timing entry shows the origin
 * speaking HTTP/2 or 3. Node's fetch has no such queue: only a page (one with a location) queues.
 */
function queues(origin: string): boolean {
  return openTo(origin) >= PER_ORIGIN_LIMIT && typeof location !== 'undefined'
    && !performance.getEntries().some(entry => entry.name.startsWith(origin) && MULTIPLEXED.test((entry as PerformanceResourceTiming).nextHopProtocol))
}

/**
 * Calls `onQueued` once, now or when the page reaches the limit, if an attempt to `origin` that waits
 * for its headers is held in the browser's queue; returns what stops the watch (the headers came).
 */
export function watchQueue(origin: string, onQueued: () => void): () => void {
  const entry: [string, () => void] = [origin, onQueued]
  if (queues(origin))
    onQueued()
  else
    waiting.add(entry)
  return () => waiting.delete(entry)
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

// Request headers a cross-origin request may send without the server's consent (the Fetch standard's
// CORS-safelisted request headers this client can send); Content-Type only with these values.
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language'])
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'])

/** The request headers a server's CORS must allow (`Access-Control-Allow-Headers`) for this request. */
function headersNeedingConsent(headers: Headers): string[] {
  const names: string[] = []
  headers.forEach((value, name) => {
    if (!SAFELISTED.has(name) && !(name === 'content-type' && SIMPLE_TYPES.has(value.split(';')[0]!.trim().toLowerCase())))
      names.push(name)
  })
  return names
}

/**
 * A cross-origin request the server answered (a `no-cors` request proved it) but CORS refused: what the
 * server must send for this request, with credentials or not. A proxy's error page without CORS headers
 * (the server behind it down) reads the same to a script.
 */
export function corsMessage(origin: string, init: RequestInit): string {
  const page = (globalThis as { location?: { origin?: string } }).location?.origin ?? 'this page\'s origin'
  const credentials = init.credentials === 'include'
  const needs = [`Access-Control-Allow-Origin: ${page}${credentials ? ' (exactly: not * when credentials are sent)' : ''}`]
  if (credentials)
    needs.push('Access-Control-Allow-Credentials: true (withCredentials is on)')
  const headers = headersNeedingConsent(new Headers(init.headers))
  if (headers.length > 0)
    needs.push(`Access-Control-Allow-Headers: ${headers.join(', ')} (in the preflight's answer)`)
  return `${origin} answered, but CORS refused the response: it must send ${needs.join('; ')}. A proxy's error page without CORS headers reads the same`
}

/** A cross-origin request that failed, and a `no-cors` request to the same URL failed too. */
export function unreachableMessage(origin: string): string {
  return `No response from ${origin}: the server is down or unreachable (it answered no request, so this is not CORS)`
}

/** The preflight for Last-Event-ID was refused, and the stream resumed without the header. */
export function lastEventIdRefusedMessage(origin: string): string {
  return `${origin} refused Last-Event-ID (CORS): allow it in Access-Control-Allow-Headers, or use lastEventIdParam; resumed without it, events may have been missed`
}

/** No response headers within the connect timeout. */
export function connectTimeoutMessage(origin: string, timeout: number): string {
  return `No response headers in ${timeout} ms: ${openTo(origin) >= PER_ORIGIN_LIMIT
    ? atLimit(origin)
    : 'a slow server, a buffering proxy or the per-origin limit'}`
}

/** Said at once in development when a new stream will wait behind the per-origin limit. */
export function queuedMessage(origin: string): string {
  return `A new stream waits in the browser's queue: ${atLimit(origin)}`
}

function atLimit(origin: string): string {
  return `this page holds ${openTo(origin)} streams to ${origin}, the per-origin limit; share them (useSharedEventSource, shareAcrossTabs) or use HTTP/2`
}

/** No byte for the heartbeat timeout; `afterHeaders` when the headers came and then nothing did. */
export function silenceMessage(timeout: number, afterHeaders: boolean): string {
  return `No data for ${timeout} ms${afterHeaders ? ' after the headers: a buffering proxy (proxy_buffering, gzip)?' : ''}`
}
