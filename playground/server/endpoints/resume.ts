import type { ServerResponse } from 'node:http'
import type { Endpoint } from '../sse.ts'
import { every, frame, json, resumeFrom, startStream } from '../sse.ts'

const streams = new Set<ServerResponse>()
const resumes: (string | null)[] = []

/**
 * Numbered events every 300 ms, resuming after the client's Last-Event-ID. `POST drop` cuts every open
 * stream in the middle of an event; `GET log` lists the Last-Event-ID of each request.
 */
export const resume: Endpoint = (req, res, _url, path) => {
  if (path === '/drop' && req.method === 'POST') {
    for (const stream of streams) {
      // Half an event, then the socket goes: the client must discard the half and resume before it.
      stream.write('id: 999999\ndata: half of an ev')
      stream.destroy()
    }
    return json(res, { dropped: streams.size })
  }
  if (path === '/log')
    return json(res, { lastEventIds: resumes.slice(-20) })
  if (path !== '')
    return json(res, { error: 'not found' }, 404)

  resumes.push(typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : null)
  startStream(res)
  streams.add(res)
  res.once('close', () => streams.delete(res))
  let n = resumeFrom(req)
  every(req, 300, () => {
    n++
    res.write(frame({ id: n, data: `Event ${n}` }))
  })
}
