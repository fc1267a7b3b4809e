// Tests here hold promises of docs/guide/recipes.md and docs/guide/reconnection.md (listed in tests/fixtures/promises/).
// docs/deploying.md (idle limits): comments keep a stream alive, silence past heartbeatTimeout replaces it,
// and a stream the server ends resumes with Last-Event-ID. docs/spec.md: the departures ([NON-SPEC]).
// docs/index.md, the home page, quotes promises held here too (tests/fixtures/promises/home.ts).
import { describe, expect, it, vi } from 'vitest'
import { EventSourceHttpError } from '../../src/core/errors'
import { CLOSED, CONNECTING, OPEN } from '../../src/core/types'
import { connect, sleep, stageScript, uniqueKey, useTestServer } from '../support/helpers'

const server = useTestServer()
const fast = { delay: 20, jitter: 0 }

describe('reconnecting', () => {
  // Promised in README.md, docs/guide/getting-started.md and docs/guide/api.md (tests/fixtures/promises/).
  it('reconnects with the last event ID after the server ends the stream: no event lost or repeated', async () => {
    const key = uniqueKey()
    // Each response sends 3 events after the client's Last-Event-ID, then ends; ids stop at 9.
    const { messages } = connect(`${server.current.url}/events?key=${key}&count=9&per=3&interval=1`, { reconnect: fast })
    await vi.waitFor(() => expect(messages).toHaveLength(9))
    expect(messages.map(m => m.lastEventId)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9'])
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(4))
    const requests = server.current.stats(key).requests
    expect(requests.slice(0, 4).map(r => r.headers['last-event-id'])).toEqual([undefined, '3', '6', '9'])
  })

  // Promised in README.md (tests/fixtures/promises/).
  it('after a connection drops mid-event, the half event is discarded and Last-Event-ID names the last whole one', async () => {
    const key = uniqueKey()
    const { messages } = connect(`${server.current.url}/drop?key=${key}&count=2`, { reconnect: fast })
    await vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(6))
    expect(messages.slice(0, 6).map(m => m.lastEventId)).toEqual(['1', '2', '3', '4', '5', '6'])
    expect(messages.every(m => m.data !== 'half of event')).toBe(true)
    const requests = server.current.stats(key).requests
    expect(requests.slice(0, 3).map(r => r.headers['last-event-id'])).toEqual([undefined, '2', '4'])
  })

  // Promised in README.md (tests/fixtures/promises/).
  it('stops for good on 204 No Content', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(`${server.current.url}/no-content?key=${key}`, { reconnect: fast })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it('a 200 that is not text/event-stream closes with a content-type error and is not retried', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(`${server.current.url}/wrong-type?key=${key}`, { reconnect: fast })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    await sleep(100)
    expect(errors.map(e => e.type)).toEqual(['content-type'])
    expect(errors[0]!.contentType).toBe('text/plain')
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  it('other 4xx statuses are fatal and carry the status', async () => {
    for (const code of [400, 404, 410]) {
      const key = uniqueKey()
      const { client, errors } = connect(`${server.current.url}/status?key=${key}&code=${code}`, { reconnect: fast })
      await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
      await sleep(60)
      expect(errors).toHaveLength(1)
      expect(errors[0]).toBeInstanceOf(EventSourceHttpError)
      expect((errors[0] as EventSourceHttpError).status).toBe(code)
      expect(server.current.stats(key).requests).toHaveLength(1)
    }
  })

  // Promised in README.md and docs/guide/getting-started.md (tests/fixtures/promises/).
  it('[NON-SPEC] 408, 429 and 5xx are retried with backoff, then the stream resumes', async () => {
    for (const code of [408, 429, 500, 502, 503]) {
      const key = uniqueKey()
      const { messages, errors } = connect(`${server.current.url}/flaky?key=${key}&fails=2&code=${code}&count=1&hold`, { reconnect: fast })
      await vi.waitFor(() => expect(messages).toHaveLength(1))
      expect(errors.map(e => (e as EventSourceHttpError).status)).toEqual([code, code])
      expect(server.current.stats(key).requests).toHaveLength(3)
    }
  })

  it('gives up after `retries` consecutive failures: CLOSED, the last error kept, onFailed called once', async () => {
    const key = uniqueKey()
    const onFailed = vi.fn()
    const { client } = connect(`${server.current.url}/status?key=${key}&code=503`, { reconnect: { delay: 5, retries: 2, onFailed } })
    await vi.waitFor(() => expect(onFailed).toHaveBeenCalledOnce())
    expect(client.state.readyState).toBe(CLOSED)
    expect((client.state.error as EventSourceHttpError).status).toBe(503)
    expect(onFailed.mock.calls[0]![0]).toBe(client.state.error)
    await sleep(60)
    expect(server.current.stats(key).requests).toHaveLength(3)
  })

  it('uses the server retry: as the base delay, and never waits less', async () => {
    const key = uniqueKey()
    const { states, messages } = connect(`${server.current.url}/events?key=${key}&count=2&retry=150`, { reconnect: { delay: 5, jitter: 0.25 } })
    await vi.waitFor(() => expect(messages).toHaveLength(2))
    await vi.waitFor(() => expect(states.some(s => s.retryDelay !== null)).toBe(true))
    const delay = states.find(s => s.retryDelay !== null)!.retryDelay!
    expect(delay).toBeGreaterThanOrEqual(150)
    expect(delay).toBeLessThanOrEqual(150 * 1.25)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('resets the attempt count once a connection delivers an event', async () => {
    const key = uniqueKey()
    const { client, messages } = connect(`${server.current.url}/flaky?key=${key}&fails=3&code=500&count=1&hold`, { reconnect: fast })
    await vi.waitFor(() => expect(client.state.attempt).toBe(3))
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    expect(client.state.attempt).toBe(0)
    expect(client.state.readyState).toBe(OPEN)
  })

  it('a custom delay function decides the wait from the attempt and the error', async () => {
    const key = uniqueKey()
    const delay = vi.fn((attempt: number, _error: unknown) => attempt * 7)
    const { client, states } = connect(`${server.current.url}/status?key=${key}&code=502`, { reconnect: { delay, retries: 2 } })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(delay.mock.calls.map(([attempt, error]) => [attempt, (error as EventSourceHttpError).status])).toEqual([[1, 502], [2, 502]])
    expect(states.filter(s => s.retryDelay !== null).map(s => s.retryDelay)).toEqual([7, 14])
  })

  it('a delay function returning a negative number closes with an invalid-option error', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(`${server.current.url}/status?key=${key}&code=500`, { reconnect: { delay: () => -1 } })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(errors.at(-1)).toMatchObject({ type: 'invalid-option', option: 'reconnect.delay()' })
  })

  it('reconnect: false closes when the stream ends', async () => {
    const key = uniqueKey()
    const { client, messages } = connect(`${server.current.url}/events?key=${key}&count=1`, { reconnect: false })
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(messages).toHaveLength(1)
    expect(client.state.error).toBeNull()
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  it('is CONNECTING while it waits to reconnect', async () => {
    const key = uniqueKey()
    const { client } = connect(`${server.current.url}/status?key=${key}&code=500`, { reconnect: { delay: 10_000 } })
    await vi.waitFor(() => expect(client.state.retryDelay).not.toBeNull())
    expect(client.state.readyState).toBe(CONNECTING)
    expect(client.state.retryAt! - Date.now()).toBeGreaterThan(9000)
  })
})

describe('heartbeat', () => {
  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('replaces a connection that sends nothing for heartbeatTimeout ms', async () => {
    const key = uniqueKey()
    const { errors } = connect(`${server.current.url}/stalled?key=${key}`, { heartbeatTimeout: 150, reconnect: fast })
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(2))
    expect(errors[0]).toMatchObject({ type: 'heartbeat-timeout', limit: 150 })
    expect(server.current.stats(key).clientClosed).toBeGreaterThanOrEqual(1)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('counts a server that never answers the request as dead too', async () => {
    const key = uniqueKey()
    const { errors } = connect(`${server.current.url}/no-answer?key=${key}`, { heartbeatTimeout: 100, reconnect: fast })
    await vi.waitFor(() => expect(errors[0]).toMatchObject({ type: 'heartbeat-timeout' }))
  })

  it('a process frozen past the timeout (a long task, a debugger, a resumed tab) reads what arrived before judging the stream dead', async () => {
    const key = uniqueKey()
    const { client, errors, messages } = connect(`${server.current.url}/forever?key=${key}&interval=10`, { heartbeatTimeout: 200, reconnect: fast })
    await vi.waitFor(() => expect(messages.length).toBeGreaterThan(3))
    const frozenUntil = performance.now() + 500
    while (performance.now() < frozenUntil) {
      // Nothing else runs: the watchdog's timer and the bytes the server sends meanwhile both wait.
    }
    const before = messages.length
    await vi.waitFor(() => expect(messages.length).toBeGreaterThan(before + 3))
    expect(errors).toEqual([])
    expect(client.state.readyState).toBe(OPEN)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('comments alone keep the connection alive', async () => {
    const key = uniqueKey()
    const { client, errors } = connect(`${server.current.url}/heartbeat?key=${key}&interval=30`, { heartbeatTimeout: 150 })
    await sleep(600)
    expect(errors).toEqual([])
    expect(client.state.readyState).toBe(OPEN)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })
})

describe('resource bounds', () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a line beyond maxEventSize fails the attempt with event-too-large and reconnects', async () => {
    const key = uniqueKey()
    const { errors } = connect(`${server.current.url}/big?key=${key}&size=${1024 * 1024}`, { maxEventSize: 64 * 1024, reconnect: fast })
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(2))
    expect(errors[0]).toMatchObject({ type: 'event-too-large', limit: 64 * 1024 })
  })

  it('an event within maxEventSize is delivered whole', async () => {
    const key = uniqueKey()
    const { messages } = connect(`${server.current.url}/big?key=${key}&size=200000&shape=event`, { maxEventSize: 200_000, reconnect: false })
    await vi.waitFor(() => expect(messages).toHaveLength(1))
    expect(messages[0]!.data).toHaveLength(200_000)
  })
})

describe('stopping', () => {
  it('a 204 after a failure closes with no error: the server stopped on purpose', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [{ status: 503 }])
    const { client, errors } = connect(url, { reconnect: fast })
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2))
    await vi.waitFor(() => expect(client.state.readyState).toBe(CLOSED))
    expect(errors.map(e => e.type)).toEqual(['http-status'])
    expect(client.state.error).toBeNull()
  })
})

// docs/guide/api.md (`maxEventSize`, default `4194304`): the default limit, at its boundary.
describe('resource bounds: the default maxEventSize', () => {
  it('an event of 4194304 characters is delivered whole; one character more fails with event-too-large', async () => {
    const whole = connect(server.current.route('big', { key: uniqueKey(), size: 4_194_304, shape: 'event' }), { reconnect: false })
    await vi.waitFor(() => expect(whole.messages).toHaveLength(1), { timeout: 10_000 })
    expect(whole.messages[0]!.data).toHaveLength(4_194_304)
    expect(whole.errors).toEqual([])
    const over = connect(server.current.route('big', { key: uniqueKey(), size: 4_194_305, shape: 'event' }), { reconnect: false })
    await vi.waitFor(() => expect(over.errors.map(e => e.type)).toEqual(['event-too-large']), { timeout: 10_000 })
    expect(over.errors[0]).toMatchObject({ limit: 4_194_304 })
    expect(over.messages).toEqual([])
  })
})

// docs/guide/errors.md (`network`): "`fetch` rejected (or threw) or the body broke off", retried.
describe('a body that breaks off', () => {
  it('a connection dropped mid-stream is a network error, and is retried', async () => {
    const key = uniqueKey()
    const { errors, messages } = connect(server.current.route('drop', { key, count: 1 }), { reconnect: fast })
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(2))
    expect(errors[0]).toMatchObject({ type: 'network' })
    expect(messages.map(m => m.lastEventId).slice(0, 2)).toEqual(['1', '2'])
  })
})
