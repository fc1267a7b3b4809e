import type { RequestBody, TokenSource } from './types'
import { isJsonBody, resolveUrl } from './request'

/** A short FNV-1a hash, so a token never appears in a key (keys name locks and channels). */
function hash(text: string): string {
  let h = 0x811C9DC5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(36)
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
 * Who the connection speaks for: anonymous, a specific static token (by hash), or "the app's bearer
 * token" for refs and getters, which by design change over time while the user stays the same.
 */
function authScope(token: TokenSource | { value: unknown }): string {
  if (token === undefined || token === null || token === '')
    return 'anonymous'
  return typeof token === 'string' ? `token:${hash(token)}` : 'bearer'
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
 * The subscription key: method, absolute URL, body and auth scope. A JSON or text body counts by value,
 * any other body (FormData, Blob, …) by identity. Throws `invalid-option` for a bad URL.
 */
export function streamKey(url: string | URL, method: string, body: RequestBody, token: TokenSource | { value: unknown }): string {
  let bodyText = ''
  if (body !== null && body !== undefined)
    bodyText = isJsonBody(body) ? hash(stableJson(body)) : typeof body === 'string' ? hash(body) : identity(body as object)
  return `${method.toUpperCase()} ${resolveUrl(url)}${bodyText === '' ? '' : ` ${bodyText}`} ${authScope(token)}`
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
