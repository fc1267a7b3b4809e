import type { Endpoint } from '../sse.ts'
import { every, frame, startStream } from '../sse.ts'

// Markup in event data: the page must show it as text, never as HTML.
const notices = ['Deploy finished', 'New comment on #42', '<img src=x onerror="alert(1)"> is just text', 'Backup done']

/** Mixes `event: notice`, `event: update` and plain messages, one every 400 ms. */
export const named: Endpoint = (req, res) => {
  startStream(res)
  let n = 0
  every(req, 400, () => {
    n++
    const kind = n % 3
    if (kind === 1)
      res.write(frame({ id: n, event: 'notice', data: notices[Math.floor(n / 3) % notices.length] }))
    else if (kind === 2)
      res.write(frame({ id: n, event: 'update', data: JSON.stringify({ cpu: Math.round(20 + 60 * Math.abs(Math.sin(n))) }) }))
    else
      res.write(frame({ id: n, data: `Plain message ${n}` }))
  })
}
