// Tests here hold promises of docs/guide/recipes.md and docs/guide/reconnection.md (listed in tests/fixtures/promises/).
// docs/index.md, the home page, quotes promises held here too (tests/fixtures/promises/home.ts).
import type { EventSourceHttpError } from '../../src/core/errors'
import type { TokenContext } from '../../src/core/types'
import process from 'node:process'
import { describe, expect, it, vi } from 'vitest'
import { CLOSED, OPEN } from '../../src/core/types'
import { connect, sleep, stageScript, streamOf, uniqueKey, useTestServer } from '../support/helpers'

const server = useTestServer()
const fast = { delay: 20, jitter: 0 }

// docs/guide/core.md: a token getter is read afresh before every attempt.
describe('bearer token', () => {
  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('sends a string token as Authorization: Bearer, never in the URL', async () => {
    const key = uniqueKey()
    const { client } = connect(server.current.route('authed', { key }), { token: 'good-token' })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    const [request] = server.current.stats(key).requests
    expect(request!.headers.authorization).toBe('Bearer good-token')
    expect(request!.url).not.toContain('good-token')
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('calls a token getter afresh before every attempt', async () => {
    const key = uniqueKey()
    let calls = 0
    server.current.tokens.add('t1').add('t2').add('t3')
    const getter = vi.fn(async (_context: TokenContext) => `t${++calls}`)
    const { messages } = connect(server.current.route('events', { key, count: 3, per: 1 }), { token: getter, reconnect: fast })
    await vi.waitFor(() => expect(messages).toHaveLength(3))
    const sent = server.current.stats(key).requests.slice(0, 3).map(r => r.headers.authorization)
    expect(sent).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t3'])
    expect(getter.mock.calls.slice(0, 3).map(([context]) => context)).toEqual([{ refresh: false }, { refresh: false }, { refresh: false }])
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('on 401 with a token getter, asks for a fresh token once and retries at once', async () => {
    const key = uniqueKey()
    server.current.tokens.add('fresh')
    const getter = vi.fn((context: TokenContext) => context.refresh ? 'fresh' : 'expired')
    const { client, errors, states } = connect(server.current.route('authed', { key }), { token: getter, reconnect: { delay: 10_000 } })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    expect(getter.mock.calls.map(([context]) => context.refresh)).toEqual([false, true])
    expect(server.current.stats(key).requests.map(r => r.headers.authorization)).toEqual(['Bearer expired', 'Bearer fresh'])
    // No backoff wait was scheduled between the two.
    expect(states.every(s => s.retryDelay === null)).toBe(true)
    expect(errors).toEqual([])
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('closes with the status when the fresh token is refused too', async () => {
    const key = uniqueKey()
    let n = 0
    const { client, errors } = connect(server.current.route('authed', { key }), { token: () => `bad-${++n}`, reconnect: fast })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    await sleep(80)
    expect(server.current.stats(key).requests).toHaveLength(2)
    expect(errors).toHaveLength(1)
    expect((errors[0] as EventSourceHttpError).status).toBe(401)
    expect(errors[0]!.message).not.toContain('bad-')
  })

  it('closes at once with the status when the token is a plain string', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(server.current.route('authed', { key }), { token: 'revoked', reconnect: fast })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    await sleep(80)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(errors.map(e => [e.type, (e as EventSourceHttpError).status])).toEqual([['http-status', 401]])
  })

  it('closes without retrying when the getter returns the token just refused', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(server.current.route('authed', { key }), { token: () => 'stale', reconnect: fast })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect((errors[0] as EventSourceHttpError).status).toBe(401)
  })

  it('a 403 is handled like a 401', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(server.current.route('status', { key, code: 403 }), { token: 'x', reconnect: fast })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect((errors[0] as EventSourceHttpError).status).toBe(403)
  })

  it('a token getter that throws gives a token error and is retried with backoff', async () => {
    const key = uniqueKey()
    let calls = 0
    const { client, errors } = connect(server.current.route('authed', { key }), {
      token: () => {
        if (++calls < 3)
          throw new Error('identity provider down')
        return 'good-token'
      },
      reconnect: fast,
    })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    expect(errors.map(e => e.type)).toEqual(['token', 'token'])
    expect((errors[0]!.cause as Error).message).toBe('identity provider down')
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a token getter that hangs is given up after tokenTimeout', async () => {
    const key = uniqueKey()
    const { errors } = connect(server.current.route('authed', { key }), { token: () => new Promise<string>(() => {}), tokenTimeout: 100, reconnect: false })
    await vi.waitFor(() => expect(errors).toHaveLength(1))
    expect(errors[0]).toMatchObject({ type: 'token', limit: 100 })
    expect(server.current.stats(key).requests).toHaveLength(0)
  })

  it('close() while a token getter hangs leaves no timer behind', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter(kind => kind === 'Timeout').length
    const before = timers()
    const { client } = connect(server.current.route('authed', { key: uniqueKey() }), { token: () => new Promise<string>(() => {}), tokenTimeout: 60_000 })
    await sleep(20)
    expect(timers()).toBeGreaterThan(before)
    client.close()
    await sleep(20)
    expect(timers()).toBe(before)
  })

  it('refuses a token with characters a header cannot carry, without quoting it', async () => {
    const { errors } = connect(server.current.route('authed', { key: uniqueKey() }), { token: () => 'secret\nvalue', reconnect: false })
    await vi.waitFor(() => expect(errors).toHaveLength(1))
    expect(errors[0]!.type).toBe('token')
    expect(errors[0]!.message).not.toContain('secret')
  })

  it('sends no Authorization header when the getter returns null', async () => {
    const key = uniqueKey()
    const { messages } = connect(server.current.route('echo', { key, hold: true }), { token: () => null })
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    expect(JSON.parse(messages[0]!.data).headers.authorization).toBeUndefined()
  })
})

describe('token timeout', () => {
  it('a tokenTimeout beyond 2^31 ms does not time out at once', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(server.current.route('authed', { key }), {
      token: () => new Promise<string>(resolve => setTimeout(resolve, 30, 'good-token')),
      tokenTimeout: 2 ** 32,
      reconnect: false,
    })
    await vi.waitFor(() => expect(client.state.readyState).toBe(OPEN))
    expect(errors).toEqual([])
  })
})

describe('token refresh after other failures', () => {
  it('a 401 after a refreshed token met a 503 asks for a fresh token again instead of closing', async () => {
    const key = uniqueKey()
    // 401 (t1 refused) → fresh t2 → 503 → backoff → t2 refused too, now expired → fresh t3 → the stream.
    const url = await stageScript(server.current.url, key, [{ status: 401 }, { status: 503 }, { status: 401 }, streamOf('data: in\n\n')])
    let issued = 0
    let token = ''
    const { messages, errors } = connect(url, {
      token: ({ refresh }) => (refresh || token === '' ? token = `t${++issued}` : token),
      reconnect: { ...fast, retries: 3 },
    })
    await vi.waitFor(() => expect(messages.map(m => m.data)).toEqual(['in']))
    // (A fifth request, after the stream ends, may follow: the script's 204.)
    expect(server.current.stats(key).requests.slice(0, 4).map(r => r.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t2', 'Bearer t3'])
    expect(errors.map(e => e.type)).toEqual(['http-status'])
  })
})

// README.md ("Bearer tokens"): "after a 401 or 403, once more with refresh: true"; docs/guide/api.md
// (`token`): "after a 401/403 it is called once with `refresh: true` and the request is retried at once".
describe('token refresh after a 403', () => {
  it('on 403 with a token getter, asks for a fresh token once and retries at once', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [{ status: 403 }, streamOf('data: in\n\n')])
    const getter = vi.fn((context: TokenContext) => context.refresh ? 'fresh' : 'stale')
    const { messages, errors } = connect(url, { token: getter, reconnect: { delay: 10_000 } })
    await vi.waitFor(() => expect(messages.map(m => m.data)).toEqual(['in']))
    expect(getter.mock.calls.slice(0, 2).map(([context]) => context.refresh)).toEqual([false, true])
    const [refused, retried] = server.current.stats(key).requests
    expect([refused!.headers.authorization, retried!.headers.authorization]).toEqual(['Bearer stale', 'Bearer fresh'])
    // At once: no backoff of reconnect.delay between the two.
    expect(retried!.at - refused!.at).toBeLessThan(1000)
    expect(errors).toEqual([])
  })
})

// docs/guide/errors.md (`token`): "the token getter threw, hung or returned a non-string", retried.
describe('a token getter that answers something that is not a token', () => {
  it('a getter that returns a non-string gives a token error, and is retried with backoff', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(server.current.route('authed', { key }), { token: () => 42 as unknown as string, reconnect: { ...fast, retries: 2 } })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(errors.map(e => e.type)).toEqual(['token', 'token', 'token'])
    expect(errors[0]!.message).toContain('must be a string')
    expect(server.current.stats(key).requests).toHaveLength(0)
  })
})
