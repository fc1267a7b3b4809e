import type { Route } from './routes'
import { Buffer } from 'node:buffer'

/** One response of a staged script. */
export interface ReplayResponse {
  /** @default 200 */
  status?: number
  /** @default 'text/event-stream' (none for a 204) */
  contentType?: string
  headers?: Record<string, string>
  /** The body as base64 pieces, each written on its own, `gap` ms apart, so chunk boundaries survive. */
  chunks?: string[]
  /** @default 1 */
  gap?: number
  /** Drop the connection instead of ending the response, this many ms after the last chunk. */
  cutAfter?: number
}

/** What the server answers to the 1st, 2nd, … request of one key; past the end, 204 No Content. */
export interface ReplayScript {
  id: string
  responses: ReplayResponse[]
}

const scripts = new Map<string, ReplayScript>()

/**
 * Routes for differential tests: `POST /stage` stores a script, and `/replay?script=<id>&key=<key>`
 * answers each key's n-th request with the script's n-th response, byte for byte and chunk for chunk.
 * Two clients given two keys of one script therefore read identical streams.
 */
export const replayRoutes: Record<string, Route> = {
  stage: ({ res, seen }) => {
    const script = JSON.parse(seen.body) as ReplayScript
    scripts.set(script.id, script)
    res.writeHead(200).end()
  },

  replay: (context) => {
    const { res, url, requestIndex } = context
    const script = scripts.get(url.searchParams.get('script') ?? '')
    if (script === undefined) {
      res.writeHead(404).end()
      return
    }
    const response = script.responses[requestIndex] ?? { status: 204 }
    const status = response.status ?? 200
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...response.headers }
    if (status !== 204)
      headers['content-type'] = response.contentType ?? 'text/event-stream'
    res.writeHead(status, headers)
    res.flushHeaders()
    const chunks = (response.chunks ?? []).map(chunk => Buffer.from(chunk, 'base64'))
    let next = 0
    const write = (): void => {
      if (context.isClosed())
        return
      if (next === chunks.length) {
        // Stamped before the end leaves, so a client cannot seem to reconnect sooner than it did.
        if (response.cutAfter === undefined) {
          context.seen.endedAt = Date.now()
          res.end()
        }
        else {
          setTimeout(() => {
            context.seen.endedAt = Date.now()
            res.destroy()
          }, response.cutAfter)
        }
        return
      }
      res.write(chunks[next++])
      setTimeout(write, response.gap ?? 1)
    }
    write()
  },
}
