import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RouteBuilder } from './route'
import type { Route } from './routes'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { routeUrl } from './route'
import { routes } from './routes'

/** A request as the server saw it. */
export interface SeenRequest {
  method: string
  /** Path and query, exactly as requested. */
  url: string
  headers: IncomingMessage['headers']
  body: string
  /** When the request arrived (`Date.now()`). */
  at: number
  /** When its response ended or its socket closed (`Date.now()`; a route may set it as it ends); absent while open. */
  endedAt?: number
}

/** What the server knows about one test's traffic (requests carry `?key=<test>`). */
export interface KeyStats {
  requests: SeenRequest[]
  /** Connections still open now. */
  open: number
  /** Connections whose socket the client closed before the server ended the response. */
  clientClosed: number
}

export interface TestServer extends RouteBuilder {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string
  /** Traffic of one key. */
  stats: (key: string) => KeyStats
  /** Resolves once the key has `open` connections (or rejects after `timeout` ms). */
  waitForOpen: (key: string, open: number, timeout?: number) => Promise<void>
  /** Tokens the `/authed` route accepts. */
  tokens: Set<string>
  close: () => Promise<void>
}

/** Mutable per-key state a route may keep between requests (counters, schedules). */
export type KeyState = Map<string, unknown>

/** Every key's traffic and state, which a restarted server may take over from the one before it. */
export type Traffic = Map<string, KeyStats & { state: KeyState }>

export interface ServerOptions {
  /** The port to listen on. @default a free one */
  port?: number
  /** The traffic record to keep (a restart on the same port keeps the record of the server before). */
  traffic?: Traffic
}

/**
 * Starts the scenario server on 127.0.0.1 and an ephemeral port: one route per scenario (see routes.ts),
 * CORS open to any origin so browser tests can reach it, and `/_stats?key=` to read a key's traffic.
 */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const byKey = options.traffic ?? new Map<string, KeyStats & { state: KeyState }>()
  const tokens = new Set<string>(['good-token'])
  const entry = (key: string): KeyStats & { state: KeyState } => {
    let found = byKey.get(key)
    if (found === undefined) {
      found = { requests: [], open: 0, clientClosed: 0, state: new Map() }
      byKey.set(key, found)
    }
    return found
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const origin = req.headers.origin
    // `cors=none` answers as a server with no CORS headers at all (seed 000's express server verbatim).
    if (origin !== undefined && url.searchParams.get('cors') !== 'none') {
      // `allowOrigin=*` answers as seed 003 does: any origin, which a request with credentials may not use;
      // any other value is sent as it is (another origin, or '' as WPT's refusals do).
      const allowOrigin = url.searchParams.get('allowOrigin')
      res.setHeader('access-control-allow-origin', allowOrigin ?? origin)
      if (allowOrigin === null)
        res.setHeader('access-control-allow-credentials', 'true')
      res.setHeader('access-control-expose-headers', 'retry-after, x-request-id')
      res.setHeader('vary', 'origin')
    }
    // `accel` sends `X-Accel-Buffering: no`, which tells nginx not to buffer this response (docs/deploying.md).
    if (url.searchParams.has('accel'))
      res.setHeader('x-accel-buffering', 'no')
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE')
      // `allowHeaders=` allows only those request headers, as seed 003's server does; else whatever is asked.
      res.setHeader('access-control-allow-headers', url.searchParams.get('allowHeaders') ?? req.headers['access-control-request-headers'] ?? '*')
      res.setHeader('access-control-max-age', '600')
      res.writeHead(204).end()
      return
    }
    if (url.pathname === '/_stats') {
      const { requests, open, clientClosed } = entry(url.searchParams.get('key') ?? '')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests, open, clientClosed }))
      return
    }
    if (url.pathname === '/_tokens') {
      const token = url.searchParams.get('add')
      if (token !== null)
        tokens.add(token)
      const revoke = url.searchParams.get('revoke')
      if (revoke !== null)
        tokens.delete(revoke)
      res.writeHead(200).end()
      return
    }
    const route: Route | undefined = routes[url.pathname.slice(1)]
    if (route === undefined) {
      res.writeHead(404).end()
      return
    }
    const stats = entry(url.searchParams.get('key') ?? '')
    // The request counts as open from the moment it arrives, and its close listener is attached at once: a
    // client that drops the socket while the body is still being read must not leave `open` counting it.
    const seen: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: '', at: Date.now() }
    const requestIndex = stats.requests.push(seen) - 1
    stats.open++
    let closed = false
    res.on('close', () => {
      closed = true
      seen.endedAt ??= Date.now()
      stats.open--
      if (!res.writableFinished)
        stats.clientClosed++
    })
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      seen.body = Buffer.concat(chunks).toString('utf8')
      if (!closed)
        route({ req, res, url, seen, requestIndex, state: stats.state, tokens, isClosed: () => closed })
    })
  })
  server.keepAliveTimeout = 500
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    route: (route, params) => routeUrl(`http://127.0.0.1:${port}`, route, params),
    stats: key => entry(key),
    tokens,
    async waitForOpen(key, open, timeout = 5000) {
      const deadline = Date.now() + timeout
      while (entry(key).open !== open) {
        if (Date.now() > deadline)
          throw new Error(`key ${key}: expected ${open} open connections, have ${entry(key).open}`)
        await new Promise(resolve => setTimeout(resolve, 10))
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
