/** Numbered events, as the `events` route and those built on it read them. */
interface EventsParams {
  /** The last id to send. @default 3 */
  count?: number
  /** At most this many events per response; the client must reconnect for the rest. */
  per?: number
  /** Milliseconds between events. @default 0 */
  interval?: number
  /** The `event:` type of every event; none by default. */
  event?: string
  /** A `retry:` field sent first. */
  retry?: number
  /** Keep the response open after the last event. */
  hold?: boolean
}

/** The query each route of routes.ts reads; see each route's comment there for what it does with it. */
export interface RouteParams {
  'events': EventsParams
  'forever': { interval?: number }
  'drop': { count?: number, after?: number }
  'stalled': object
  'headers-only': object
  'no-answer': object
  'heartbeat': { interval?: number }
  'control-id': object
  'no-content': object
  'wrong-type': object
  'redirect': { to: string }
  'guide': { interval?: number, closeAfter?: number }
  'status': { code?: number, retryAfter?: number }
  'flaky': EventsParams & { fails?: number, code?: number, retryAfter?: number }
  'echo': { event?: string, hold?: boolean }
  'authed': EventsParams
  'raw': { case: string, split?: number, interval?: number }
  'chat': { interval?: number, cutAfter?: number }
  'close-event': { count?: number, per?: number }
  'big': { size?: number, shape?: 'line' | 'event', end?: boolean }
  'chaos': { seed?: number, faults?: number, events?: number }
  'chaos-token': { stream: string }
  'replay': { script: string }
  /** POST a script for `replay` (see replay.ts). */
  'stage': object
}

export type RouteName = keyof RouteParams

/** What every route accepts besides its own query. */
export interface CommonParams {
  /** The test whose traffic this is (see `/_stats`); none for a route that keeps no per-test record. */
  key?: string
  /** Ignored by the server: makes a URL differ from another that is otherwise the same. */
  variant?: string | number
  /** `none`: answer with no CORS headers at all, as a server written without CORS in mind. */
  cors?: 'none'
  /** The only request headers the CORS preflight allows (comma-separated); by default whatever is asked. */
  allowHeaders?: string
  /** Sent as `Access-Control-Allow-Origin` without `Access-Control-Allow-Credentials` (`*`, another origin, ''); by default the origin asked, with it. */
  allowOrigin?: string

  /** The last event ID, for routes that resume, as a client with `lastEventIdParam: 'lastEventId'` sends it. */
  lastEventId?: string
}

/**
 * The URL of `route` on the server at `base`, with `params` as its query: a `true` flag is written bare
 * (`&hold`), `false` and `undefined` are left out.
 */
export function routeUrl<N extends RouteName>(base: string, route: N, params: RouteParams[N] & CommonParams = {} as RouteParams[N] & CommonParams): string {
  const query: string[] = []
  for (const [name, value] of Object.entries(params)) {
    if (value === true)
      query.push(name)
    else if (value !== false && value !== undefined)
      query.push(`${name}=${encodeURIComponent(String(value))}`)
  }
  return `${base}/${route}${query.length > 0 ? `?${query.join('&')}` : ''}`
}

/** The scenario server at `base`, as a browser test sees it: its URL and its routes. */
export interface RouteBuilder {
  url: string
  route: <N extends RouteName>(route: N, params?: RouteParams[N] & CommonParams) => string
}

export function serverAt(base: string): RouteBuilder {
  return { url: base, route: (route, params) => routeUrl(base, route, params) }
}
