/**
 * The request of one attempt, after the WHATWG HTML standard's EventSource constructor and
 * "reestablish the connection" (`Accept: text/event-stream`, no cache, `Last-Event-ID` when set):
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 * [NON-SPEC] a method, headers, a body and a bearer token, which the spec's EventSource cannot send.
 */
import type { RequestBody } from './types'
import { EventSourceOptionError, messageOf } from './errors'

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7F]*$/
// Control characters other than tab: no HTTP field value may hold them (RFC 9110, 5.5).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0A-\x1F\x7F]/

/** Everything one attempt sends. */
export interface RequestParts {
  url: string | URL
  method: string
  headers: HeadersInit | null | undefined
  body: RequestBody
  token: string | null
  lastEventId: string
  withCredentials: boolean
}

/** Resolves a URL as `fetch` would (relative to the page where there is one), or throws an `invalid-option` error. */
export function resolveUrl(url: string | URL): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href
  try {
    const resolved = new URL(url, base)
    if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:')
      throw new EventSourceOptionError('url', `only http: and https: URLs can be fetched, got ${resolved.protocol}`)
    return resolved.href
  }
  catch (error) {
    if (error instanceof EventSourceOptionError)
      throw error
    throw new EventSourceOptionError('url', `"${String(url)}" is not a valid URL`)
  }
}

/** Whether a body should be sent as JSON: a plain object or an array. */
export function isJsonBody(body: unknown): body is Record<string, unknown> | unknown[] {
  if (Array.isArray(body))
    return true
  if (typeof body !== 'object' || body === null)
    return false
  const proto = Object.getPrototypeOf(body)
  return proto === Object.prototype || proto === null
}

/**
 * Header values are byte strings; an event ID may hold any Unicode. Send its UTF-8 bytes, as browsers
 * do for `EventSource`, instead of letting `fetch` throw on every later request.
 */
export function utf8ByteString(text: string): string {
  if (ASCII.test(text))
    return text
  let bytes = ''
  for (const byte of new TextEncoder().encode(text))
    bytes += String.fromCharCode(byte)
  return bytes
}

/** Builds the URL and `RequestInit` of one attempt. */
export function buildRequest(parts: RequestParts, signal: AbortSignal): { url: string, init: RequestInit } {
  const url = resolveUrl(parts.url)
  let headers: Headers
  try {
    headers = new Headers(parts.headers ?? undefined)
  }
  catch (error) {
    throw new EventSourceOptionError('headers', messageOf(error))
  }
  if (!headers.has('accept'))
    headers.set('accept', 'text/event-stream')
  if (parts.token !== null)
    headers.set('authorization', `Bearer ${parts.token}`)
  // [spec] Last-Event-ID is sent when the last event ID string is not empty
  if (parts.lastEventId !== '') {
    // An id the server chose but no header can carry: resuming is impossible, so say so once and stop,
    // rather than retry a request that fetch (or the server) refuses every time.
    if (CONTROL.test(parts.lastEventId))
      throw new EventSourceOptionError('lastEventId', 'the stream\'s last event ID holds a control character, which the Last-Event-ID header cannot carry')
    headers.set('last-event-id', utf8ByteString(parts.lastEventId))
  }
  let body = parts.body
  if (body !== null && body !== undefined && (parts.method === 'GET' || parts.method === 'HEAD'))
    throw new EventSourceOptionError('body', `a ${parts.method} request cannot have a body`)
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
    throw new EventSourceOptionError('body', 'a ReadableStream can be sent only once, not again on a reconnect')
  if (isJsonBody(body)) {
    try {
      body = JSON.stringify(body)
    }
    catch (error) {
      throw new EventSourceOptionError('body', `cannot be sent as JSON: ${messageOf(error)}`)
    }
    if (!headers.has('content-type'))
      headers.set('content-type', 'application/json')
  }
  return {
    url,
    init: {
      method: parts.method,
      headers,
      body: body as BodyInit | null | undefined,
      signal,
      // [spec] EventSource requests are never served from the HTTP cache
      cache: 'no-store',
      credentials: parts.withCredentials ? 'include' : 'same-origin',
    },
  }
}
