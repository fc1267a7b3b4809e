/**
 * The request of one attempt, after the WHATWG HTML standard's EventSource constructor and
 * "reestablish the connection" (`Accept: text/event-stream`, no cache, `Last-Event-ID` when set):
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 * [NON-SPEC] a method, headers, a body and a bearer token, which the spec's EventSource cannot send.
 */
import type { RequestBody } from './types'
import { EventSourceOptionError } from './errors'

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7F]*$/
// Control characters other than tab: no HTTP field value may hold them (RFC 9110, 5.5).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0A-\x1F\x7F]/
// A header name is an RFC 9110 token.
const HTTP_TOKEN = /^[!#$%&'*+\-.^\w`|~]+$/

/** Everything one attempt sends. */
export interface RequestParts {
  url: string | URL
  method: string
  headers: HeadersInit | null | undefined
  body: RequestBody
  token: string | null
  lastEventId: string
  /** Also send the last event ID as this query parameter. */
  lastEventIdParam?: string | undefined
  /** Leave the `Last-Event-ID` header out (the server's CORS refused it), the query parameter aside. */
  omitLastEventIdHeader?: boolean
  withCredentials: boolean
}

/** Resolves a URL as `fetch` would (relative to the page where there is one), or throws an `invalid-option` error. */
export function resolveUrl(url: string | URL): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href
  try {
    const resolved = new URL(url, base)
    if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:')
      throw new EventSourceOptionError('url', __DEV__ ? `only http: and https: URLs can be fetched, got ${resolved.protocol}` : '')
    return resolved.href
  }
  catch (error) {
    if (error instanceof EventSourceOptionError)
      throw error
    throw new EventSourceOptionError('url', __DEV__ ? `"${String(url)}" is not a valid URL` : '')
  }
}

/** Says which header is not valid, by its name (or its position, when the name is no HTTP token), never its value. */
function invalidHeader(init: HeadersInit | null | undefined): string {
  try {
    const entries = Array.isArray(init) ? init : Object.entries(init ?? {})
    for (let i = 0; i < entries.length; i++) {
      const [name, value] = entries[i] as [string, string]
      try {
        new Headers().append(name, value)
      }
      catch {
        return `header ${HTTP_TOKEN.test(name) ? `"${name}"` : `#${i + 1}`} is not valid (its value is not shown)`
      }
    }
  }
  catch {}
  return 'not valid'
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

/** [NON-SPEC] the most UTF-8 bytes of `Last-Event-ID` a request sends: well under the 8 KiB a proxy such as nginx allows one header line. */
export const LAST_EVENT_ID_LIMIT = 4096

/**
 * Why a last event ID the server chose cannot be sent as `Last-Event-ID` (a control character, which no
 * header may hold, or more than `LAST_EVENT_ID_LIMIT` bytes, which servers refuse with 431), or `null`
 * when it can. Sending it anyway would make every reconnection fail the same way.
 */
export function unsendableLastEventId(id: string): string | null {
  if (CONTROL.test(id))
    return 'holds a control character'
  const bytes = utf8ByteString(id).length
  return bytes > LAST_EVENT_ID_LIMIT ? `is over ${LAST_EVENT_ID_LIMIT} bytes` : null
}

/** Builds the URL and `RequestInit` of one attempt. */
export function buildRequest(parts: RequestParts, signal: AbortSignal): { url: string, init: RequestInit } {
  let url = resolveUrl(parts.url)
  // [NON-SPEC] event-source-polyfill's convention: the id in the query too, which needs no CORS consent
  if (parts.lastEventIdParam !== undefined && parts.lastEventId !== '') {
    const withId = new URL(url)
    withId.searchParams.set(parts.lastEventIdParam, parts.lastEventId)
    url = withId.href
  }
  let headers: Headers
  try {
    headers = new Headers(parts.headers ?? undefined)
  }
  catch {
    // The runtime's own message may quote the value (a secret, often): name the header, never its value.
    throw new EventSourceOptionError('headers', __DEV__ ? invalidHeader(parts.headers) : '')
  }
  if (!headers.has('accept'))
    headers.set('accept', 'text/event-stream')
  if (parts.token !== null)
    headers.set('authorization', `Bearer ${parts.token}`)
  // [spec] Last-Event-ID is sent when the last event ID string is not empty (the client leaves out
  // one that `unsendableLastEventId` refuses)
  if (parts.lastEventId !== '' && parts.omitLastEventIdHeader !== true)
    headers.set('last-event-id', utf8ByteString(parts.lastEventId))
  let body = parts.body
  if (body !== null && body !== undefined && (parts.method === 'GET' || parts.method === 'HEAD'))
    throw new EventSourceOptionError('body', __DEV__ ? `a ${parts.method} request cannot have a body` : '')
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
    throw new EventSourceOptionError('body', __DEV__ ? 'a ReadableStream can be sent only once, not again on a reconnect' : '')
  if (isJsonBody(body)) {
    try {
      body = JSON.stringify(body)
    }
    catch (error) {
      // JSON.stringify's message may quote the body; its error's name says enough (circular, BigInt).
      throw new EventSourceOptionError('body', __DEV__ ? `cannot be sent as JSON (JSON.stringify threw a ${error instanceof Error ? error.name : typeof error})` : '')
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
