import type { IncomingMessage, ServerResponse } from 'node:http'

export type Endpoint = (req: IncomingMessage, res: ServerResponse, url: URL) => void

function startStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
  res.flushHeaders()
}

/** Calls `tick` every `interval` ms until it returns false or the client goes away. */
function every(req: IncomingMessage, interval: number, tick: () => boolean): void {
  const timer = setInterval(() => {
    if (!tick())
      clearInterval(timer)
  }, interval)
  req.on('close', () => clearInterval(timer))
}

export const endpoints: Record<string, Endpoint> = {
  /** A JSON message `{ message, timestamp }` every 2 s; after 10 s, `event: close`. */
  clock: (req, res) => {
    startStream(res)
    const started = Date.now()
    let n = 0
    every(req, 2000, () => {
      if (Date.now() - started >= 10_000) {
        res.write('event: close\ndata: the clock has stopped\n\n')
        return false
      }
      n++
      res.write(`id: ${n}\ndata: ${JSON.stringify({ message: `tick ${n}`, timestamp: new Date().toISOString() })}\n\n`)
      return true
    })
  },
}
