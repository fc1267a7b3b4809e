// Tests here hold promises of docs/guide/recipes.md (listed in tests/fixtures/promises/).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEventSource } from '../../src/index'
import { base64 } from './differential'
import { otherServer, otherServerUrl, server, stats, uniqueKey } from './stats'

const SECRET = 'Zq9SecretToken'

async function stage(key: string, responses: unknown[]): Promise<string> {
  const id = `script-${key}`
  await fetch(server.route('stage'), { method: 'POST', body: JSON.stringify({ id, responses }) })
  return server.route('replay', { script: id, key })
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the bearer token stays secret, in Chromium', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('goes only in the Authorization header to the configured URL: not to the other origin a redirect leads to, not in a URL, an error or a log line', async () => {
    const key = uniqueKey()
    const otherKey = uniqueKey()
    const url = await stage(key, [
      { status: 503, headers: { 'retry-after': '0' } },
      { status: 307, headers: { location: otherServer.route('echo', { key: otherKey }) } },
      { chunks: [base64('data: back\n\n')] },
    ])
    const logged: string[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => logged.push(args.map(a => a instanceof Error ? `${a.message} ${a.stack}` : String(a)).join(' ')))
    const errors: string[] = []
    const data: string[] = []
    const client = createEventSource(url, {
      token: SECRET,
      reconnect: { delay: 5, jitter: 0 },
      onMessage: m => data.push(m.data),
      onError: (error) => {
        errors.push(`${error.type} ${error.message} ${error.stack} ${JSON.stringify(error)}`)
        throw new Error(`the app's error callback failed on: ${error.message}`)
      },
    })
    client.open()
    await vi.waitFor(() => expect(client.state.readyState).toBe(2))
    expect(data.at(-1)).toBe('back')

    const requests = (await stats(key)).requests
    expect(requests).toHaveLength(4)
    for (const request of requests) {
      expect(request.headers.authorization).toBe(`Bearer ${SECRET}`)
      const { authorization: _, ...others } = request.headers
      expect(JSON.stringify(others) + request.url).not.toContain(SECRET)
    }
    const redirected = (await stats(otherKey, otherServerUrl)).requests
    expect(redirected).toHaveLength(1)
    expect(redirected[0]!.headers.authorization).toBeUndefined()
    expect(JSON.stringify(redirected)).not.toContain(SECRET)
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.join('\n')).not.toContain(SECRET)
    expect(logged.length).toBeGreaterThan(0)
    expect(logged.join('\n')).not.toContain(SECRET)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('withCredentials is off by default: requests go with credentials "same-origin", so another origin gets no cookie', async () => {
    document.cookie = 'session=s3cret; path=/'
    try {
      const key = uniqueKey()
      const modes: (RequestCredentials | undefined)[] = []
      const client = createEventSource(server.route('echo', { key }), {
        reconnect: false,
        // The real fetch, watched: the options the client passes are what a default user gets.
        fetch: (input, init) => {
          modes.push(init.credentials)
          return fetch(input, init)
        },
      })
      const received: string[] = []
      client.on('message', m => received.push(m.data))
      client.open()
      await vi.waitFor(() => expect(received).toHaveLength(1))
      expect(modes).toEqual(['same-origin'])
      expect(JSON.parse(received[0]!).headers.cookie).toBeUndefined()
    }
    finally {
      document.cookie = 'session=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
    }
  })
})
