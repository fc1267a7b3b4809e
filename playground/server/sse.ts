import type { IncomingMessage, ServerResponse } from 'node:http'

/** One endpoint: it answers `req` on `res`; `url` is parsed, `path` is what follows the endpoint's name. */
export type Endpoint = (req: IncomingMessage, res: ServerResponse, url: URL, path: string) => void

export interface Frame {
  id?: string | number
  event?: string
  data?: string
  retry?: number
}

/** Formats one event-stream frame; multi-line data becomes several `data:` lines, no data none. */
export function frame({ id, event, data, retry }: Frame): string {
  let text = ''
  if (retry !== undefined)
    text += `retry: ${retry}\n`
  if (id !== undefined)
    text += `id: ${id}\n`
  if (event !== undefined)
    text += `event: ${event}\n`
  if (data !== undefined) {
    for (const line of data.split('\n'))
      text += `data: ${line}\n`
  }
  return `${text}\n`
}

/** Starts a `text/event-stream` response. */
export function startStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' })
  // HTTP/2's compatibility response has no flushHeaders(): its headers go with the first write.
  const compat = res as { flushHeaders?: () => void }
  compat.flushHeaders?.()
}

/** Calls `tick` every `interval` ms until it returns false or the client goes away. */
export function every(req: IncomingMessage, interval: number, tick: () => boolean | void): void {
  const timer = setInterval(() => {
    if (tick() === false)
      clearInterval(timer)
  }, interval)
  req.on('close', () => clearInterval(timer))
}

/** The request body, read whole. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      body += chunk
    })
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}

export function json(res: ServerResponse, value: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value))
}

/** The numeric Last-Event-ID a client resumes from, or 0. */
export function resumeFrom(req: IncomingMessage): number {
  const last = Number(req.headers['last-event-id'])
  return Number.isInteger(last) && last > 0 ? last : 0
}
