import type { Endpoint } from '../sse.ts'
import { every, frame, resumeFrom, startStream } from '../sse.ts'

/** A ticker for the shared-subscription demo: `{ n, price }` every 500 ms, resuming after Last-Event-ID. */
export const shared: Endpoint = (req, res) => {
  startStream(res)
  let n = resumeFrom(req)
  every(req, 500, () => {
    n++
    const price = (100 + 5 * Math.sin(n / 5) + (n % 7) / 10).toFixed(2)
    res.write(frame({ id: n, data: JSON.stringify({ n, price: Number(price) }) }))
  })
}
