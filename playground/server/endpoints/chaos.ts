import type { Endpoint } from '../sse.ts'
import { every, frame, json, readBody, resumeFrom, startStream } from '../sse.ts'

/** What the next connection suffers. */
export type Fault = 'none' | 'unavailable' | 'stall' | 'cut'
const faults: Fault[] = ['none', 'unavailable', 'stall', 'cut']

let script: Fault[] = []
const log: { fault: Fault, lastEventId: string | null }[] = []

/**
 * Numbered events that misbehave: each connection draws a fault (or takes the next one from a script set by
 * `POST script` `{ faults: [...] }`): `none` streams 8 events then ends, `unavailable` answers 503 with
 * `Retry-After: 2`, `stall` sends one event and then nothing (the heartbeat timeout must notice), `cut`
 * drops the socket in the middle of the third event. `GET log` lists what each request got.
 */
export const chaos: Endpoint = (req, res, _url, path) => {
  if (path === '/script' && req.method === 'POST') {
    void readBody(req).then((body) => {
      script = (JSON.parse(body) as { faults: Fault[] }).faults.filter(f => faults.includes(f))
      json(res, { script })
    })
    return
  }
  if (path === '/log')
    return json(res, { requests: log.slice(-30) })
  if (path !== '')
    return json(res, { error: 'not found' }, 404)

  const fault = script.shift() ?? faults[Math.floor(Math.random() * faults.length)]!
  log.push({ fault, lastEventId: typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : null })
  if (fault === 'unavailable') {
    res.writeHead(503, { 'retry-after': '2', 'content-type': 'text/plain' }).end('Service unavailable, come back in 2 s')
    return
  }
  startStream(res)
  let n = resumeFrom(req)
  let sent = 0
  every(req, 250, () => {
    n++
    sent++
    if (fault === 'stall' && sent > 1)
      return false
    if (fault === 'cut' && sent === 3) {
      res.write(`id: ${n}\ndata: half of ev`)
      res.destroy()
      return false
    }
    res.write(frame({ id: n, data: `Event ${n}` }))
    if (fault === 'none' && sent === 8) {
      res.end()
      return false
    }
  })
}
