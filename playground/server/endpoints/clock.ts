import type { Endpoint } from '../sse.ts'
import { every, frame, startStream } from '../sse.ts'

/** A JSON `{ message, timestamp }` every 2 s; after four ticks (at 10 s), `event: close` tells the client to close for good. */
export const clock: Endpoint = (req, res) => {
  startStream(res)
  let n = 0
  every(req, 2000, () => {
    // Counted, not timed: a timer a millisecond early must not add a fifth tick.
    if (n === 4) {
      res.write(frame({ event: 'close', data: 'The clock has stopped.' }))
      return false
    }
    n++
    res.write(frame({ id: n, data: JSON.stringify({ message: `Tick ${n}`, timestamp: new Date().toISOString() }) }))
  })
}
