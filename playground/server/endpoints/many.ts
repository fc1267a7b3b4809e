import type { Endpoint } from '../sse.ts'
import { every, frame, startStream } from '../sse.ts'

/** One of the many-streams demo's streams: `{ i, n }` every second, for stream `i` of the query. */
export const many: Endpoint = (req, res, url) => {
  startStream(res)
  const i = Number(url.searchParams.get('i') ?? 0)
  let n = 0
  res.write(frame({ data: JSON.stringify({ i, n }) }))
  every(req, 1000, () => {
    n++
    res.write(frame({ data: JSON.stringify({ i, n }) }))
  })
}
