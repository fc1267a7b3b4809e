import type { EventSourceError } from '../../src/core/errors'
import type { EventSourceOptions } from '../../src/core/types'
import { describe, expect, it, vi } from 'vitest'
import { CLOSED } from '../../src/core/types'
import { connect, sleep, uniqueKey, useTestServer } from '../support/helpers'

// The rule: no value the caller passes in headers, body or token appears in an error: not in its
// message, its stack, its JSON, nor anywhere in its cause chain. Valid or invalid, fixed or from a getter.

const server = useTestServer()
const SECRET = 'S3cr3t-4c8f1e'

/** Everything an error exposes, cause chain included, as one string to search. */
function exposed(error: unknown, depth = 0): string {
  if (depth > 5 || error === null || error === undefined)
    return ''
  if (typeof error !== 'object')
    return String(error)
  const e = error as Error & Record<string, unknown>
  let json = ''
  try {
    json = JSON.stringify(e)
  }
  catch {}
  const fields = Object.keys(e).map(k => `${k}=${typeof e[k] === 'object' ? '' : String(e[k])}`).join(' ')
  return [e.message, e.stack, json, fields, exposed(e.cause, depth + 1)].join('\n')
}

const cases: [string, () => { url: string, options: EventSourceOptions }][] = [
  ['a header value with a line break', () => ({ url: server.current.route('forever', { key: uniqueKey() }), options: { headers: { 'x-api-key': `${SECRET}\nx` } } })],
  ['a header value with a NUL', () => ({ url: server.current.route('forever', { key: uniqueKey() }), options: { headers: [['x-api-key', `${SECRET}\0`]] } })],
  ['a header name that is not a token', () => ({ url: server.current.route('forever', { key: uniqueKey() }), options: { headers: { [`${SECRET} x`]: 'v' } } })],
  ['a header getter returning a bad value', () => ({ url: server.current.route('forever', { key: uniqueKey() }), options: { headers: () => ({ authorization: `Basic ${SECRET}\r\nX-Evil: 1` }) } })],
  ['a valid secret header, refused with 401', () => ({ url: server.current.route('authed', { key: uniqueKey() }), options: { headers: { 'x-api-key': SECRET } } })],
  ['a valid secret header, answered 500', () => ({ url: server.current.route('status', { key: uniqueKey(), code: 500 }), options: { headers: { 'x-api-key': SECRET }, reconnect: false } })],
  ['a token with a line break', () => ({ url: server.current.route('authed', { key: uniqueKey() }), options: { token: `${SECRET}\n` } })],
  ['a token getter returning a token with a space', () => ({ url: server.current.route('authed', { key: uniqueKey() }), options: { token: () => `${SECRET} x` } })],
  ['a valid token the server refuses', () => ({ url: server.current.route('authed', { key: uniqueKey() }), options: { token: SECRET } })],
  ['a body with a BigInt beside a secret', () => ({ url: server.current.route('echo', { key: uniqueKey() }), options: { method: 'POST', body: { password: SECRET, n: 10n } } })],
  ['a circular body beside a secret', () => {
    const body: Record<string, unknown> = { password: SECRET }
    body.self = body
    return { url: server.current.route('echo', { key: uniqueKey() }), options: { method: 'POST', body } }
  }],
  ['a secret body answered 500', () => ({ url: server.current.route('status', { key: uniqueKey(), code: 500 }), options: { method: 'POST', body: { password: SECRET } } })],
]

describe('no option value appears in an error', () => {
  for (const [name, make] of cases) {
    it(name, async () => {
      const { url, options } = make()
      const seen: EventSourceError[] = []
      const { client, errors } = connect(url, { ...options, onError: error => seen.push(error) })
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0))
      await sleep(20)
      client.close()
      const all = [...seen, ...errors, client.state.error].filter(e => e !== null)
      expect(all.length).toBeGreaterThan(0)
      for (const error of all)
        expect(exposed(error)).not.toContain(SECRET)
    })
  }

  it('an invalid header value still names the header, so the caller can find it', async () => {
    const { client, errors } = connect(server.current.route('forever', { key: uniqueKey() }), { headers: { 'x-api-key': `${SECRET}\nx` } })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(errors[0]).toMatchObject({ type: 'invalid-option', option: 'headers' })
    expect(errors[0]!.message).toContain('x-api-key')
  })
})
