import type { RouteContext } from './routes'
import { Buffer } from 'node:buffer'
import { performance } from 'node:perf_hooks'

/** The faults the chaos route injects, one per request. */
export const FAULTS = ['cut', '5xx', '5xx-retry-after', 'stall', 'trickle', '204', 'wrong-type', '401'] as const
export type Fault = typeof FAULTS[number]

// How often each fault is drawn, relative to the others.
const WEIGHTS: Record<Fault, number> = { 'cut': 3, '5xx': 2, '5xx-retry-after': 1, 'stall': 1, 'trickle': 2, '204': 1, 'wrong-type': 1, '401': 1 }

/** What the server did with one request. */
export interface ChaosEntry {
  /** `performance.now()` when the request arrived. */
  at: number
  /** `performance.now()` when the server ended or dropped the response. */
  endedAt?: number
  lastEventId: string | null
  token: string | null
  /** The fault injected, `finish` (the rest of the events, then the end) or `done` (204 after the last event). */
  fault: Fault | 'finish' | 'done' | 'stale-token'
  /** For `cut`, `stall`, `trickle`, `finish`: the last event written whole. */
  lastWritten?: number
  /** For `5xx`: the status; for `5xx-retry-after` also the header. */
  status?: number
  retryAfter?: string
  /** Where a `cut` or `stall` happened: before the response headers, or after some events. */
  variant?: string
}

/** One chaos stream: its schedule, its valid token, and the log of every request. */
export interface ChaosStream {
  seed: number
  faults: number
  events: number
  injected: number
  token: string
  tokens: number
  previous: Fault | null
  random: () => number
  log: ChaosEntry[]
}

/** A small seeded PRNG (mulberry32): the same seed gives the same fault schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** The data of event `n`: multi-byte characters, and two lines for every fifth event. */
export function chaosData(n: number): string {
  return n % 5 === 0 ? `event ${n}\nsecond line é€😀` : `event ${n} é€😀${'·'.repeat(n % 4)}`
}

function frameOf(n: number): string {
  return `id: ${n}\n${chaosData(n).split('\n').map(line => `data: ${line}\n`).join('')}\n`
}

const firstToken = (key: string): string => `${key}-token-1`

/** Chaos streams by key; the tests read their logs here (the server runs in the test's process). */
export const chaosStreams = new Map<string, ChaosStream>()

function streamOf(url: URL, key: string): ChaosStream {
  let found = chaosStreams.get(key)
  if (found === undefined) {
    const seed = Number(url.searchParams.get('seed') ?? 1)
    found = {
      seed,
      faults: Number(url.searchParams.get('faults') ?? 10),
      events: Number(url.searchParams.get('events') ?? 30),
      injected: 0,
      token: firstToken(key),
      tokens: 1,
      previous: null,
      random: seededRandom(seed),
      log: [],
    }
    chaosStreams.set(key, found)
  }
  return found
}

function draw(stream: ChaosStream): Fault {
  const total = FAULTS.reduce((sum, fault) => sum + WEIGHTS[fault], 0)
  while (true) {
    let pick = stream.random() * total
    const fault = FAULTS.find(f => (pick -= WEIGHTS[f]) < 0) ?? 'cut'
    // The request after a 401 carries the fresh token; refusing that too is a different story (the
    // client closes for good, as documented), so the schedule never does.
    if (!(fault === '401' && stream.previous === '401'))
      return fault
  }
}

const between = (random: () => number, min: number, max: number): number => min + Math.floor(random() * (max - min + 1))

/** Writes events `from`..`to` one after another, `interval` ms apart; calls `then` after the last. */
function writeEvents(context: RouteContext, from: number, to: number, interval: number, then: () => void): void {
  let n = from
  const next = (): void => {
    if (context.isClosed())
      return
    if (n > to)
      return then()
    context.res.write(frameOf(n++))
    setTimeout(next, interval)
  }
  next()
}

/**
 * `/chaos?key=&seed=&faults=&events=`: numbered events (`id: n`), resuming after Last-Event-ID, with
 * one fault per request drawn from a seeded schedule; once `faults` are injected, the rest of the events
 * and then 204. Needs `Authorization: Bearer <the stream's token>`; `/chaos-token?stream=<key>` hands
 * out the current token, as an identity provider would.
 */
export function chaosRoute(context: RouteContext): void {
  const { req, res, url } = context
  const key = url.searchParams.get('key') ?? ''
  const stream = streamOf(url, key)
  const auth = req.headers.authorization
  const header = req.headers['last-event-id']
  const entry: ChaosEntry = {
    at: performance.now(),
    lastEventId: typeof header === 'string' ? header : null,
    token: auth?.startsWith('Bearer ') === true ? auth.slice(7) : null,
    fault: 'cut',
  }
  stream.log.push(entry)
  const end = (): void => {
    entry.endedAt = performance.now()
    res.end()
  }
  const drop = (): void => {
    entry.endedAt = performance.now()
    res.destroy()
  }
  res.on('close', () => {
    entry.endedAt ??= performance.now()
  })
  if (entry.token !== stream.token) {
    entry.fault = 'stale-token'
    res.writeHead(401, { 'www-authenticate': 'Bearer' })
    return end()
  }
  const first = entry.lastEventId === null ? 1 : Number(entry.lastEventId) + 1
  const startStream = (): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
    res.flushHeaders()
  }
  if (first > stream.events) {
    entry.fault = 'done'
    res.writeHead(204)
    return end()
  }
  if (stream.injected >= stream.faults) {
    entry.fault = 'finish'
    entry.lastWritten = stream.events
    startStream()
    return writeEvents(context, first, stream.events, 0, end)
  }
  const fault = draw(stream)
  stream.injected++
  stream.previous = fault
  entry.fault = fault
  const random = stream.random
  const whole = Math.min(stream.events, first - 1 + between(random, 0, 4))
  switch (fault) {
    case 'cut': {
      const beforeHeaders = random() < 0.15
      const bytes = Buffer.from(frameOf(whole + 1))
      const part = between(random, 0, bytes.length - 1)
      const wait = between(random, 0, 3)
      if (beforeHeaders) {
        entry.variant = 'before headers'
        return drop()
      }
      entry.variant = `${whole - first + 1} events, then ${part} of ${bytes.length} bytes`
      entry.lastWritten = whole
      startStream()
      return writeEvents(context, first, whole, 1, () => {
        res.write(bytes.subarray(0, part))
        setTimeout(drop, wait)
      })
    }
    case '5xx':
    case '5xx-retry-after': {
      entry.status = [500, 502, 503][between(random, 0, 2)]!
      const headers: Record<string, string> = { 'content-type': 'text/plain' }
      if (fault === '5xx-retry-after') {
        const form = random()
        entry.retryAfter = form < 0.4 ? '0' : form < 0.7 ? '1' : new Date(Date.now() + 1500).toUTCString()
        headers['retry-after'] = entry.retryAfter
      }
      res.writeHead(entry.status, headers)
      res.write('unavailable')
      return end()
    }
    case 'stall': {
      // Silence until the client gives up (its heartbeat timeout) and closes the socket.
      if (random() < 0.3) {
        entry.variant = 'before headers'
        return
      }
      entry.variant = `after ${whole - first + 1} events`
      entry.lastWritten = whole
      startStream()
      return writeEvents(context, first, whole, 1, () => {})
    }
    case 'trickle': {
      const last = Math.min(stream.events, first + between(random, 0, 2))
      const bytes = Buffer.from(Array.from({ length: last - first + 1 }, (_, i) => frameOf(first + i)).join(''))
      entry.lastWritten = last
      startStream()
      let i = 0
      const next = (): void => {
        if (context.isClosed())
          return
        if (i === bytes.length)
          return end()
        res.write(bytes.subarray(i, ++i))
        setTimeout(next, 0)
      }
      return next()
    }
    case '204':
      res.writeHead(204)
      return end()
    case 'wrong-type':
      res.writeHead(200, { 'content-type': 'text/html' })
      res.write('<p>down for maintenance</p>')
      return end()
    case '401':
      stream.token = `${key}-token-${++stream.tokens}`
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' })
      return end()
  }
}

/** `/chaos-token?stream=<key>`: the stream's current token, as text (its first one before it starts). */
export function chaosTokenRoute({ res, url }: RouteContext): void {
  const key = url.searchParams.get('stream') ?? ''
  res.writeHead(200, { 'content-type': 'text/plain' }).end(chaosStreams.get(key)?.token ?? firstToken(key))
}
