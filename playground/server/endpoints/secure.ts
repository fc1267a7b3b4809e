import type { ServerResponse } from 'node:http'
import type { Endpoint } from '../sse.ts'
import { randomBytes } from 'node:crypto'
import { every, frame, json, startStream } from '../sse.ts'

interface SeenRequest { url: string, status: number, authorization: string, tokenInUrl: boolean }

let valid: string | null = null
let generation = 0
const issued: string[] = []
const seen: SeenRequest[] = []
const streams = new Set<ServerResponse>()

/** Shows only the start of a secret. */
const mask = (secret: string): string => `${secret.slice(0, 7)}…`

/**
 * A stream that needs `Authorization: Bearer <token>`. `POST token` issues a fresh token (the only valid
 * one), `POST expire` revokes it and drops the open streams, `GET log` lists the requests the stream got.
 */
export const secure: Endpoint = (req, res, url, path) => {
  if (path === '/token' && req.method === 'POST') {
    valid = `pg-${randomBytes(9).toString('base64url')}`
    generation++
    issued.push(valid)
    return json(res, { token: valid, generation })
  }
  if (path === '/expire' && req.method === 'POST') {
    valid = null
    for (const stream of streams)
      stream.destroy()
    return json(res, { expired: true })
  }
  if (path === '/log')
    return json(res, { requests: seen.slice(-20), tokenEverInUrl: seen.some(r => r.tokenInUrl) })
  if (path !== '')
    return json(res, { error: 'not found' }, 404)

  const header = req.headers.authorization ?? ''
  const token = header.startsWith('Bearer ') ? header.slice(7) : null
  const status = token !== null && token === valid ? 200 : 401
  seen.push({ url: `/sse/secure${url.search}`, status, authorization: token === null ? 'none' : `Bearer ${mask(token)}`, tokenInUrl: issued.some(t => url.href.includes(t)) })
  if (status === 401) {
    res.writeHead(401, { 'www-authenticate': 'Bearer' }).end()
    return
  }
  startStream(res)
  streams.add(res)
  res.once('close', () => streams.delete(res))
  const mine = generation
  let n = 0
  every(req, 1000, () => {
    n++
    res.write(frame({ id: n, data: JSON.stringify({ n, message: `Secret message ${n}, for token #${mine}` }) }))
  })
}
