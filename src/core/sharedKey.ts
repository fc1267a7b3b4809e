import type { RequestBody } from './types'
import { isJsonBody, resolveUrl } from './request'

/**
 * A 64-bit hash as text, two FNV-1a lanes with different multipliers, so that a token or a header value
 * never appears in a key (keys name locks and channels, and show in Vue DevTools) while two different
 * ones practically never meet: tabs must derive the same key from the same token, so no per-page number
 * will do.
 */
function hash(text: string): string {
  let a = 0x811C9DC5
  let b = 0x811C9DC5
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    a = Math.imul(a ^ code, 0x01000193)
    b = Math.imul(b ^ code, 0x5BD1E995)
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36).padStart(7, '0')
}

/** Object keys in a fixed order, so `{ a, b }` and `{ b, a }` give the same text. */
export function stableJson(value: unknown, map: (inner: unknown) => unknown = inner => inner): string {
  return JSON.stringify(value, (_, raw: unknown) => {
    const inner = map(raw)
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
      return inner
    return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
  })
}

/**
 * Whose connection it is, never what: `anonymous` or `token:<hash>` for the bearer token read now, then
 * `headers:<hash>` when request headers are set (they may carry credentials too). A token getter or ref
 * is read first (by the Vue layer), so a connection follows the user it was opened for, not the getter.
 */
export function credentialScope(token: string | null | undefined, headers?: HeadersInit | null): string {
  const scope = token === undefined || token === null || token === '' ? 'anonymous' : `token:${hash(token)}`
  if (headers === undefined || headers === null)
    return scope
  let entries: [string, string][]
  try {
    // Headers lowercases names and sorts them: `{ A: 1 }` and `[['a', '1']]` are the same credentials.
    entries = [...new Headers(headers).entries()]
  }
  catch {
    // Invalid headers fail the connection with a typed error; here they need only a scope of their own.
    return `${scope} headers:invalid`
  }
  return entries.length === 0 ? scope : `${scope} headers:${hash(JSON.stringify(entries))}`
}

const identities = new WeakMap<object, number>()
let lastIdentity = 0
/** A number that stays with an object (a function, a FormData) for its lifetime. */
export function identity(value: object): string {
  let id = identities.get(value)
  if (id === undefined) {
    id = ++lastIdentity
    identities.set(value, id)
  }
  return `#${id}`
}

/**
 * What a stream is, whoever asks for it: method, absolute URL and body. A JSON or text body counts by
 * value, any other body (FormData, Blob, …) by identity. Throws `invalid-option` for a bad URL.
 */
export function streamTarget(url: string | URL, method: string, body: RequestBody): string {
  let bodyText = ''
  if (body !== null && body !== undefined)
    bodyText = isJsonBody(body) ? hash(stableJson(body)) : typeof body === 'string' ? hash(body) : identity(body as object)
  return `${method.toUpperCase()} ${resolveUrl(url)}${bodyText === '' ? '' : ` ${bodyText}`}`
}

/**
 * The subscription key: the stream (`streamTarget`) and whose it is (`credentialScope` of the token sent
 * now and the headers). Throws `invalid-option` for a bad URL.
 */
export function streamKey(url: string | URL, method: string, body: RequestBody, token: string | null | undefined, headers?: HeadersInit | null): string {
  return `${streamTarget(url, method, body)} ${credentialScope(token, headers)}`
}

/** One option as comparable text: functions and class instances by identity, plain data by value. */
function describe(value: unknown): string {
  if (typeof value === 'function')
    return identity(value)
  if (value === null || typeof value !== 'object')
    return String(value)
  if (!Array.isArray(value) && !isJsonBody(value))
    return identity(value)
  return stableJson(value, (inner) => {
    return typeof inner === 'function' ? identity(inner) : inner
  })
}

/**
 * What two callers must agree on to share one connection: each option that shapes the connection, as
 * text. Returns the names of the options where `a` and `b` differ.
 */
export function conflictingOptions(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...names].filter(name => describe(a[name]) !== describe(b[name])).sort()
}
