import type { Endpoint } from '../sse.ts'
import { every, frame, startStream } from '../sse.ts'

/** A JSON `{ message, timestamp }` every 2 s; after 10 s, `event: close` tells the client to close for good. */
export const clock: Endpoint = (req, res) => {
  startStream(res)
  const started = Date.now()
  let n = 0
  every(req, 2000, () => {
    if (Date.now() - started >= 10_000) {
      res.write(frame({ event: 'close', data: 'The clock has stopped.' }))
      return false
    }
    n++
    res.write(frame({ id: n, data: JSON.stringify({ message: `Tick ${n}`, timestamp: new Date().toISOString() }) }))
  })
}
