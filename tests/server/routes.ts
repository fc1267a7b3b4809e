import type { IncomingMessage, ServerResponse } from 'node:http'
import type { KeyState, SeenRequest } from './index'
import { Buffer } from 'node:buffer'
import { corpus } from '../fixtures/corpus'
import { chaosRoute, chaosTokenRoute } from './chaos'
import { frame, startStream } from './frames'
import { replayRoutes } from './replay'

export interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  seen: SeenRequest
  /** 0 for the key's first request, 1 for its second, … */
  requestIndex: number
  state: KeyState
  tokens: Set<string>
  isClosed: () => boolean
}

export type Route = (context: RouteContext) => void

function number(url: URL, name: string, fallback: number): number {
  const value = url.searchParams.get(name)
  return value === null ? fallback : Number(value)
}

/** The id after the client's Last-Event-ID, from the header or the `lastEventId` query parameter (numbered streams resume there), or 1. */
function resumeFrom(req: IncomingMessage): number {
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('lastEventId')
  const last = Number(req.headers['last-event-id'] ?? query ?? Number.NaN)
  return Number.isInteger(last) ? last + 1 : 1
}

/** Writes `write(n)` for n = first, first+1, … every `interval` ms until `until(n)` or the client leaves. */
function pace(context: RouteContext, first: number, interval: number, write: (n: number) => boolean): void {
  let n = first
  const tick = (): void => {
    if (context.isClosed())
      return
    if (write(n++))
      setTimeout(tick, interval)
  }
  tick()
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization
  return header?.startsWith('Bearer ') ? header.slice(7) : null
}

export const routes: Record<string, Route> = {
  ...replayRoutes,
  'chaos': chaosRoute,
  'chaos-token': chaosTokenRoute,

  /**
   * Numbered events `id: n`, `data: event n` up to id `count`, resuming after Last-Event-ID; at most `per`
   * per response; `interval` ms apart; `retry` first; `hold` keeps the stream open after the last one.
   */
  'events': (context) => {
    const { req, res, url } = context
    const first = resumeFrom(req)
    const count = Math.min(number(url, 'count', 3), first - 1 + number(url, 'per', Infinity))
    const type = url.searchParams.get('event') ?? undefined
    startStream(res)
    if (url.searchParams.has('retry'))
      res.write(`retry: ${url.searchParams.get('retry')}\n\n`)
    pace(context, first, number(url, 'interval', 0), (n) => {
      if (n > count) {
        if (!url.searchParams.has('hold'))
          res.end()
        return false
      }
      res.write(frame({ id: n, event: type, data: `event ${n}` }))
      return true
    })
  },

  /** One numbered event every `interval` ms, never ending. */
  'forever': (context) => {
    startStream(context.res)
    pace(context, resumeFrom(context.req), number(context.url, 'interval', 50), (n) => {
      context.res.write(frame({ id: n, data: `event ${n}` }))
      return true
    })
  },

  /** Sends `count` numbered events, then half of the next one, then drops the socket. */
  'drop': (context) => {
    const { req, res, url } = context
    const first = resumeFrom(req)
    const count = number(url, 'count', 2)
    startStream(res)
    for (let n = first; n < first + count; n++)
      res.write(frame({ id: n, data: `event ${n}` }))
    res.write(`id: ${first + count}\ndata: half of event`)
    setTimeout(() => res.destroy(), number(url, 'after', 20))
  },

  /** Headers and one comment, then silence. */
  'stalled': ({ res }) => {
    startStream(res)
    res.write(': hello\n\n')
  },

  /** Event-stream headers and then not one byte, as through a proxy that buffers the body. */
  'headers-only': ({ res }) => {
    startStream(res)
  },

  /** Accepts the request and never answers. */
  'no-answer': () => {},

  /** Only `: keep-alive` comments every `interval` ms. */
  'heartbeat': (context) => {
    startStream(context.res)
    pace(context, 1, number(context.url, 'interval', 50), () => {
      context.res.write(': keep-alive\n\n')
      return true
    })
  },

  /** One event whose id holds a control character (U+0001), which no HTTP header may carry, then the end. */
  'control-id': ({ res }) => {
    startStream(res)
    res.end('id: a\u0001b\ndata: x\n\n')
  },

  /** 204 No Content: the spec's "stop reconnecting". */
  'no-content': ({ res }) => {
    res.writeHead(204).end()
  },

  /**
   * The stream our users' guides are written against: a JSON message, a `notice` and an `update` every
   * `interval` ms (numbered ids, resuming after Last-Event-ID), then after `closeAfter` ms `event: close`
   * and the end of the response.
   */
  'guide': (context) => {
    const { req, res, url } = context
    const interval = number(url, 'interval', 1000)
    const ends = Date.now() + number(url, 'closeAfter', 10_000)
    startStream(res)
    pace(context, resumeFrom(req), interval, (n) => {
      if (Date.now() >= ends) {
        res.end(frame({ event: 'close', data: 'bye' }))
        return false
      }
      const kind = ['message', 'notice', 'update'][n % 3]!
      res.write(frame({ id: n, event: kind === 'message' ? undefined : kind, data: JSON.stringify({ n, kind }) }))
      return true
    })
  },

  /** A 307 to the URL in `to` (another origin's route, say). */
  'redirect': ({ res, url }) => {
    res.writeHead(307, { location: url.searchParams.get('to') ?? '/' }).end()
  },

  /** A 200 that is not an event stream. */
  'wrong-type': ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('data: not an event stream\n\n')
  },

  /** Answers with status `code`, and `Retry-After: retryAfter` when given. */
  'status': ({ res, url }) => {
    const headers: Record<string, string> = { 'content-type': 'text/plain' }
    if (url.searchParams.has('retryAfter'))
      headers['retry-after'] = url.searchParams.get('retryAfter')!
    res.writeHead(number(url, 'code', 500), headers).end('failure')
  },

  /** The first `fails` requests get status `code` (Retry-After `retryAfter`), later ones numbered events. */
  'flaky': (context) => {
    const { res, url, requestIndex } = context
    if (requestIndex < number(url, 'fails', 1)) {
      const headers: Record<string, string> = {}
      if (url.searchParams.has('retryAfter'))
        headers['retry-after'] = url.searchParams.get('retryAfter')!
      res.writeHead(number(url, 'code', 503), headers).end()
      return
    }
    routes.events!(context)
  },

  /** One event whose data is the request as JSON (method, url, headers, body); `hold` keeps it open. */
  'echo': ({ res, url, seen }) => {
    startStream(res)
    res.write(frame({ event: url.searchParams.get('event') ?? undefined, data: JSON.stringify(seen) }))
    if (!url.searchParams.has('hold'))
      res.end()
  },

  /** Needs `Authorization: Bearer <a token the server accepts>`, else 401; then numbered events, held open. */
  'authed': (context) => {
    const token = bearer(context.req)
    if (token === null || !context.tokens.has(token)) {
      context.res.writeHead(401, { 'www-authenticate': 'Bearer' }).end()
      return
    }
    context.url.searchParams.set('hold', '1')
    routes.events!(context)
  },

  /** A case of the parser corpus, as raw bytes, in `split`-byte pieces (0 = all at once) `interval` ms apart. */
  'raw': (context) => {
    const { res, url } = context
    const found = corpus.find(c => c.name === url.searchParams.get('case'))
    if (found === undefined) {
      res.writeHead(404).end()
      return
    }
    startStream(res)
    const bytes = Buffer.from(found.input)
    const split = number(url, 'split', 0) || bytes.length
    pace(context, 0, number(url, 'interval', 1), (i) => {
      if (i * split >= bytes.length) {
        res.end()
        return false
      }
      res.write(bytes.subarray(i * split, (i + 1) * split))
      return true
    })
  },

  /** POST `{ "prompt": "..." }`: streams the reply word by word as `data:` events, then `[DONE]`, then ends. */
  'chat': (context) => {
    const { res, seen } = context
    if (seen.method !== 'POST') {
      res.writeHead(405).end()
      return
    }
    const prompt = (JSON.parse(seen.body || '{}') as { prompt?: string }).prompt ?? ''
    const words = `You said: ${prompt}`.split(' ')
    startStream(res)
    // `cutAfter`: the server stops after that many words and ends the response without [DONE].
    const cutAfter = number(context.url, 'cutAfter', Infinity)
    pace(context, 0, number(context.url, 'interval', 5), (i) => {
      if (i >= cutAfter) {
        res.end()
        return false
      }
      if (i < words.length) {
        res.write(frame({ data: JSON.stringify({ token: `${i === 0 ? '' : ' '}${words[i]}` }) }))
        return true
      }
      res.end(frame({ data: '[DONE]' }))
      return false
    })
  },

  /**
   * `count` numbered events, then `event: close`, then the stream is held open for the client to close;
   * resuming after Last-Event-ID, at most `per` events per response (a response that stops before the
   * close event is a stream cut off).
   */
  'close-event': (context) => {
    const { req, res, url } = context
    const first = resumeFrom(req)
    const count = number(url, 'count', 2)
    const last = Math.min(count, first - 1 + number(url, 'per', Infinity))
    startStream(res)
    for (let n = first; n <= last; n++)
      res.write(frame({ id: n, data: `event ${n}` }))
    if (last < count)
      res.end()
    else
      res.write(frame({ event: 'close', data: 'bye' }))
  },

  /** A line of `size` characters that never ends (`line`; `end` ends the response after it), or one event of `size` characters (`event`). */
  'big': ({ res, url }) => {
    const size = number(url, 'size', 1024)
    startStream(res)
    if (url.searchParams.get('shape') === 'event') {
      res.end(`data: ${'x'.repeat(size)}\n\n`)
      return
    }
    const piece = 'x'.repeat(16 * 1024)
    let sent = 0
    res.write('data: ')
    const pump = (): void => {
      while (sent < size && !res.writableNeedDrain) {
        res.write(piece)
        sent += piece.length
      }
      if (sent < size)
        res.once('drain', pump)
      else if (url.searchParams.has('end'))
        res.end()
    }
    pump()
  },
}
