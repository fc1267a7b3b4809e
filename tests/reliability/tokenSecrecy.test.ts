// Tests here hold promises of docs/guide/recipes.md (listed in tests/fixtures/promises/).
import type { EventSourceError } from '../../src/core/errors'
import type { TestServer } from '../server/index'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CLOSED } from '../../src/core/types'
import { startTestServer } from '../server/index'
import { connect, stageScript, streamOf, uniqueKey, useTestServer } from '../support/helpers'

const server = useTestServer()
// Another origin (another port), where the configured URL redirects once.
let elsewhere: TestServer
beforeAll(async () => {
  elsewhere = await startTestServer()
})
afterAll(() => elsewhere.close())

const SECRET = 'Zq9SecretToken'

/** Every string an error exposes: message, stack, its JSON and its causes'. */
function errorText(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  while (current !== undefined && current !== null) {
    parts.push(String(current), JSON.stringify(current) ?? '')
    if (current instanceof Error)
      parts.push(current.message, current.stack ?? '')
    current = current instanceof Error ? current.cause : undefined
  }
  return parts.join('\n')
}

describe('the bearer token stays secret', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('goes only in the Authorization header of requests to the configured URL, never in a URL, another header, an error, the state or a log line, through every kind of failure', async () => {
    const key = uniqueKey()
    const otherKey = uniqueKey()
    const url = await stageScript(server.current.url, key, [
      { status: 503, headers: { 'retry-after': '0' } },
      { ...streamOf('id: 1\ndata: a\n\nid: 2\ndata: half'), cutAfter: 100 },
      { status: 401 },
      { status: 307, headers: { location: elsewhere.route('echo', { key: otherKey }) } },
      streamOf('data: b\n\n'),
      { ...streamOf('<p>no</p>'), contentType: 'text/html' },
    ])
    const logged: string[] = []
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map(method =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => logged.push(args.map(errorText).join(' '))))
    let issued = 0
    let token = ''
    try {
      const { client, errors, messages } = connect(url, {
        token: ({ refresh }) => (refresh || token === '' ? token = `${SECRET}${++issued}` : token),
        reconnect: { delay: 5, jitter: 0 },
        // An error callback that fails makes the client log what it threw, its one log line.
        onError: (error: EventSourceError) => {
          throw new Error(`the app's error callback failed on: ${error.message}`)
        },
      })
      client.subscribe(() => {
        throw new Error('a failing state listener')
      })
      await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
      expect(messages.map(m => m.data)).toEqual(expect.arrayContaining(['a', 'b']))
      expect(errors.map(e => e.type)).toEqual(['http-status', 'network', 'content-type'])
      expect(issued).toBe(2)

      const requests = server.current.stats(key).requests
      expect(requests).toHaveLength(6)
      for (const request of requests) {
        expect(request.headers.authorization).toMatch(new RegExp(`^Bearer ${SECRET}\\d$`))
        const { authorization: _, ...others } = request.headers
        expect(JSON.stringify(others) + request.url + request.body).not.toContain(SECRET)
      }
      // The redirect went to another origin: the token did not go with it.
      const [redirected] = elsewhere.stats(otherKey).requests
      expect(redirected).toBeDefined()
      expect(JSON.stringify(redirected)).not.toContain(SECRET)
      expect(redirected!.headers.authorization).toBeUndefined()

      expect(errors.map(errorText).join('\n')).not.toContain(SECRET)
      expect(errorText(client.state.error) + JSON.stringify(client.state)).not.toContain(SECRET)
      expect(logged.length).toBeGreaterThan(0)
      expect(logged.join('\n')).not.toContain(SECRET)
    }
    finally {
      spies.forEach(spy => spy.mockRestore())
    }
  })
})
