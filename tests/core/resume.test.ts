// Tests here hold promises of docs/guide/resumable-runs.md and docs/guide/api.md (listed in tests/fixtures/promises/).
/**
 * Runs that survive a break (`resume`), gaps the server signals, and replays dropped, on virtual time: a
 * scripted fetch answers, `vi.advanceTimersByTimeAsync` moves the clock, and every request is counted.
 * The same behaviours against real servers (resumable-stream with Redis, the AI SDK, a Last-Event-ID
 * server) are in tests/runs.test.ts and tests/browser/runs.test.ts.
 */
import type { EventSourceClient } from '../../src/core/client'
import type { PageSignals } from '../../src/core/signals'
import type { EventSourceMessage, EventSourceOptions, ResyncInfo } from '../../src/core/types'
import type { ScriptedResponse } from '../support/scriptedFetch'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient, createEventSource } from '../../src/core/client'
import { EventSourceError, EventSourceHttpError, EventSourceOptionError } from '../../src/core/errors'
import { createReplayFilter, REPLAY_WINDOW } from '../../src/core/resume'
import { CLOSED, OPEN } from '../../src/core/types'
import { scriptedFetch } from '../support/scriptedFetch'

const RUN = 'https://sse.test/api/chat'
const LOCATION = { 'content-type': 'text/event-stream', 'location': '/api/runs/7/stream' }
const RESUME_URL = 'https://sse.test/api/runs/7/stream'
const resume = { url: (response: Response) => response.headers.get('location') }

const opened: EventSourceClient<any, any>[] = []

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(Date.UTC(2026, 0, 1, 12, 0, 0))
})

afterEach(() => {
  for (const client of opened.splice(0))
    client.close()
  vi.useRealTimers()
})

/** A POST run on a scripted fetch: what it delivered, the errors and resyncs it told, every request. */
function run(script: ScriptedResponse[], options: EventSourceOptions = {}) {
  const fetch = scriptedFetch(script)
  const errors: EventSourceError[] = []
  const messages: EventSourceMessage[] = []
  const resyncs: ResyncInfo[] = []
  const client = createClient<string, Record<never, never>>(RUN, {
    method: 'POST',
    body: { prompt: 'hi' },
    token: 'secret',
    headers: { 'x-app': '1' },
    closeData: '[DONE]',
    resume,
    reconnect: { jitter: 0 },
    ...options,
    fetch,
    onError: error => errors.push(error),
    onMessage: message => messages.push(message),
    onResync: info => resyncs.push(info),
  })
  opened.push(client)
  client.open()
  const t0 = Date.now()
  return {
    client,
    calls: fetch.calls,
    errors,
    resyncs,
    data: () => messages.map(message => message.data),
    posts: () => fetch.calls.filter(call => call.method === 'POST').length,
    at: (ms: number) => vi.advanceTimersByTimeAsync(t0 + ms - Date.now()),
  }
}

function events(from: number, to: number, ids = true): string {
  return Array.from({ length: to - from + 1 }, (_, i) => `${ids ? `id: ${from + i}\n` : ''}data: e${from + i}\n\n`).join('')
}
const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `e${from + i}`)

describe('resume: a run read again by GET after a break', () => {
  it('sends the POST once and reads the rest at the resume URL, with Last-Event-ID, the token and the headers', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 3), open: true }, { body: `${events(4, 6)}data: [DONE]\n\n` }])
    await r.at(0)
    expect(r.client.state.resumeUrl).toBe(RESUME_URL)
    r.calls[0]!.fail()
    await r.at(999)
    expect(r.calls).toHaveLength(1)
    await r.at(1000)
    expect(r.calls).toHaveLength(2)
    const resumed = r.calls[1]!
    expect([resumed.method, resumed.url]).toEqual(['GET', RESUME_URL])
    expect(resumed.headers).toMatchObject({ 'last-event-id': '3', 'authorization': 'Bearer secret', 'x-app': '1' })
    expect(resumed.headers['content-type']).toBeUndefined()
    expect(r.data()).toEqual(range(1, 6))
    expect(r.client.state).toMatchObject({ readyState: CLOSED, done: true, error: null })
    await r.at(600_000)
    expect(r.calls).toHaveLength(2)
    expect(r.posts()).toBe(1)
  })

  it('with from start, sends no Last-Event-ID and skips what it delivered, ids or not', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 3, false), open: true }, { body: `${events(1, 5, false)}data: [DONE]\n\n` }], { resume: { ...resume, from: 'start' } })
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(1000)
    expect(r.calls[1]!.headers['last-event-id']).toBeUndefined()
    expect(r.data()).toEqual(range(1, 5))
    expect(r.client.state).toMatchObject({ readyState: CLOSED, done: true })
    expect(r.posts()).toBe(1)
  })

  it('resumes a run broken twice, each event once and in order', async () => {
    const r = run([
      { headers: LOCATION, body: events(1, 2), open: true },
      { body: events(3, 4), open: true },
      { body: `${events(5, 6)}data: [DONE]\n\n` },
    ])
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(1000)
    r.calls[1]!.fail()
    // the events of the first resume reset the backoff: 1 s again
    await r.at(2000)
    expect(r.calls[2]!.headers['last-event-id']).toBe('4')
    expect(r.data()).toEqual(range(1, 6))
    expect(r.posts()).toBe(1)
  })

  it('resumes a run cut off before its declared end (the stream ended without [DONE])', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 2) }, { body: `${events(3, 3)}data: [DONE]\n\n` }])
    await r.at(1000)
    expect(r.calls[1]!.method).toBe('GET')
    expect(r.errors.map(error => error.type)).toEqual(['incomplete'])
    expect(r.data()).toEqual(range(1, 3))
    expect(r.client.state).toMatchObject({ readyState: CLOSED, done: true, error: null })
  })

  it('resumes after a heartbeat timeout, which a POST alone never would', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 1), open: true }, { body: 'data: [DONE]\n\n' }], { heartbeatTimeout: 5000 })
    // the watchdog looks once more one task (1 ms) after the timeout before it fires; the resume is 1 s later
    await r.at(5001)
    expect(r.errors.map(error => error.type)).toEqual(['heartbeat-timeout'])
    await r.at(6001)
    expect(r.calls.map(call => call.method)).toEqual(['POST', 'GET'])
    expect(r.client.state.done).toBe(true)
  })

  it('reads the rest again with a fresh token after a 401, by GET', async () => {
    const tokens = ['old', 'new']
    const r = run([{ headers: LOCATION, body: events(1, 1), open: true }, { status: 401 }, { body: 'data: [DONE]\n\n' }], {
      token: ({ refresh }) => refresh ? tokens[1] : tokens[0],
    })
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(1000)
    expect(r.calls.map(call => [call.method, call.headers.authorization])).toEqual([['POST', 'Bearer old'], ['GET', 'Bearer old'], ['GET', 'Bearer new']])
    expect(r.client.state.done).toBe(true)
  })

  it('ends at the end of the run with no end declared: the stream ending is the end of the run', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 1), open: true }, { body: events(2, 2) }], { closeData: undefined })
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(1000)
    expect(r.client.state).toMatchObject({ readyState: CLOSED, done: true, error: null })
    await r.at(600_000)
    expect(r.calls).toHaveLength(2)
  })

  it('close() disconnects: a scheduled resume never happens', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 1), open: true }])
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(10)
    r.client.close()
    await r.at(600_000)
    expect(r.calls).toHaveLength(1)
  })

  it('open() starts a new run: the POST again, and the resume URL forgotten until it answers', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 1), open: true }, { headers: { ...LOCATION, location: '/api/runs/8/stream' }, body: events(1, 1), open: true }])
    await r.at(0)
    r.client.open()
    expect(r.client.state.resumeUrl).toBeNull()
    await r.at(1)
    expect(r.calls.map(call => call.method)).toEqual(['POST', 'POST'])
    expect(r.client.state.resumeUrl).toBe('https://sse.test/api/runs/8/stream')
  })
})

describe('open() of a request that is not GET starts afresh', () => {
  // Found by a new user (issue 31): the second question's POST carried the first answer's last event ID,
  // which a server that reads it on a POST takes for a resume of the wrong run.
  it.each([
    ['with resume', { resume }],
    ['without resume', { resume: undefined }],
  ])('%s, the next POST carries no last event ID of the stream before', async (_, options) => {
    const r = run([{ headers: LOCATION, body: `${events(1, 3)}data: [DONE]\n\n` }, { headers: LOCATION, body: `${events(1, 2)}data: [DONE]\n\n` }], options)
    await r.at(0)
    expect(r.client.state).toMatchObject({ done: true, lastEventId: '3' })
    r.client.open()
    expect(r.client.state.lastEventId).toBe('')
    await r.at(1)
    expect(r.calls.map(call => [call.method, call.headers['last-event-id']])).toEqual([['POST', undefined], ['POST', undefined]])
    expect(r.data()).toEqual([...range(1, 3), ...range(1, 2)])
  })

  it('the lastEventId option is what each new POST carries, as the first did', async () => {
    const r = run([{ headers: LOCATION, body: `${events(1, 3)}data: [DONE]\n\n` }, { headers: LOCATION, body: 'data: [DONE]\n\n' }], { lastEventId: '0' })
    await r.at(0)
    r.client.open()
    await r.at(1)
    expect(r.calls.map(call => call.headers['last-event-id'])).toEqual(['0', '0'])
  })
})

describe('resume: when the server has nothing more', () => {
  it('a resume answered 204: CLOSED, the end not seen (incomplete), no request after', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 1), open: true }, { status: 204 }])
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(600_000)
    expect(r.calls).toHaveLength(2)
    expect(r.client.state).toMatchObject({ readyState: CLOSED, done: false })
    expect(r.client.state.error?.type).toBe('incomplete')
  })

  it('a resume that ends at once, with nothing new, before the declared end: CLOSED, incomplete', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 2), open: true }, { body: events(1, 2) }], { resume: { ...resume, from: 'start' } })
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(600_000)
    expect(r.calls).toHaveLength(2)
    expect(r.data()).toEqual(range(1, 2))
    expect(r.client.state).toMatchObject({ readyState: CLOSED, done: false })
    expect(r.client.state.error?.message).toMatch(/nothing more of the run/)
  })

  it.each([404, 410])('a resume answered %i: a typed error, CLOSED, no request after', async (status) => {
    const r = run([{ headers: LOCATION, body: events(1, 1), open: true }, { status }])
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(600_000)
    expect(r.calls).toHaveLength(2)
    expect(r.client.state.readyState).toBe(CLOSED)
    expect(r.client.state.error).toBeInstanceOf(EventSourceHttpError)
    expect((r.client.state.error as EventSourceHttpError).status).toBe(status)
    // a 410 to a request with a last event ID also says that events were lost
    expect(r.resyncs.map(info => info.reason)).toEqual(status === 410 ? ['gap'] : [])
  })

  it('a run whose producer died (5xx for ever): resume.retries failures in a row, with backoff, then CLOSED', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 1), open: true }, { status: 500 }])
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(600_000)
    // 1 s, then 2, 4, 8 and 16 s after each failure (reconnect's backoff), then given up
    const times = r.calls.slice(1).map(call => call.at - r.calls[0]!.at)
    expect(times).toEqual([1000, 3000, 7000, 15_000, 31_000])
    expect(r.client.state.readyState).toBe(CLOSED)
    expect((r.client.state.error as EventSourceHttpError).status).toBe(500)
    expect(r.posts()).toBe(1)
  })

  it('a resume answered with HTML: a content-type error, CLOSED, one request', async () => {
    const r = run([{ headers: LOCATION, body: events(1, 1), open: true }, { headers: { 'content-type': 'text/html' }, body: '<html>' }])
    await r.at(0)
    r.calls[0]!.fail()
    await r.at(600_000)
    expect(r.calls).toHaveLength(2)
    expect(r.client.state.error?.type).toBe('content-type')
    expect(r.data()).toEqual(['e1'])
  })
})

describe('resume: bad input', () => {
  it('a resume without a URL is an option error when the client is made', () => {
    expect(() => createEventSource(RUN, { resume: {} as never })).toThrow(EventSourceOptionError)
    expect(() => createEventSource(RUN, { resume: { url: '/r', from: 'middle' as never } })).toThrow(/resume\.from/)
    expect(() => createEventSource(RUN, { resume: { url: '/r', retries: -1 } })).toThrow(/resume\.retries/)
  })

  it('a response that names no resume URL: a `resume` error at once, and a break is not resumed (the POST not sent again)', async () => {
    // reconnect set, as it is to tune the resumes' backoff: the POST that starts a run is still never re-sent
    const r = run([{ body: events(1, 1), open: true }], { reconnect: { delay: 10 } })
    await r.at(0)
    expect(r.errors.map(error => error.type)).toEqual(['resume'])
    expect(r.client.state.readyState).toBe(OPEN)
    r.calls[0]!.fail()
    await r.at(600_000)
    expect(r.calls).toHaveLength(1)
    expect(r.client.state.readyState).toBe(CLOSED)
  })

  it('a resume.url function that throws: an option error naming it, the stream goes on', async () => {
    const r = run([{ headers: LOCATION, body: `${events(1, 1)}data: [DONE]\n\n` }], { resume: { url: () => {
      throw new Error('boom')
    } } })
    await r.at(0)
    expect(r.errors.map(error => [error.type, error.message.includes('resume.url')])).toEqual([['invalid-option', true]])
    expect(r.data()).toEqual(['e1'])
    expect(r.client.state.done).toBe(true)
  })
})

describe('resume: the page', () => {
  function page(): PageSignals & { revive: () => void } {
    const revivers = new Set<(reason: 'pageshow' | 'resume') => void>()
    return {
      hidden: () => false,
      online: () => true,
      subscribe: () => () => {},
      subscribeRevive: (listener) => {
        revivers.add(listener)
        return () => revivers.delete(listener)
      },
      revive: () => revivers.forEach(listener => listener('pageshow')),
    }
  }

  it('a POST without a resume URL is not replaced on a back/forward-cache restore: it is never sent again', async () => {
    const signals = page()
    const r = run([{ body: events(1, 1), open: true }], { resume: undefined, signals })
    await r.at(0)
    signals.revive()
    await r.at(600_000)
    expect(r.posts()).toBe(1)
    expect(r.calls).toHaveLength(1)
  })

  it('a run with a resume URL is: read again by GET from its last event ID', async () => {
    const signals = page()
    const r = run([{ headers: LOCATION, body: events(1, 2), open: true }, { body: 'data: [DONE]\n\n' }], { signals })
    await r.at(0)
    signals.revive()
    await r.at(0)
    expect(r.calls.map(call => [call.method, call.headers['last-event-id']])).toEqual([['POST', undefined], ['GET', '2']])
    expect(r.resyncs.map(info => info.reason)).toEqual(['pageshow'])
  })
})

describe('gaps the server signals', () => {
  it('a reconnect with a last event ID answered 410: onResync (gap), then the stream goes on without the ID', async () => {
    const r = run([{ body: events(1, 2) }, { status: 410 }, { body: events(9, 9), open: true }], { method: 'GET', body: undefined, resume: undefined, closeData: undefined })
    await r.at(1000)
    expect(r.resyncs).toEqual([{ reason: 'gap', gapMs: expect.any(Number), lastEventId: '2' }])
    expect(r.calls.map(call => call.headers['last-event-id'])).toEqual([undefined, '2', undefined])
    expect(r.client.state.readyState).toBe(OPEN)
    expect(r.data()).toEqual(['e1', 'e2', 'e9'])
  })

  it('a 410 again without a last event ID fails: one extra request, no storm', async () => {
    const r = run([{ body: events(1, 1) }, { status: 410 }], { method: 'GET', body: undefined, resume: undefined, closeData: undefined })
    await r.at(600_000)
    expect(r.calls).toHaveLength(3)
    expect(r.client.state.readyState).toBe(CLOSED)
  })

  it('resetEvent: onResync (gap), the event delivered, the stream goes on', async () => {
    const r = run([{ body: `${events(1, 1)}event: reset\nid: 1\ndata: lost\n\n${events(2, 2)}`, open: true }], { method: 'GET', body: undefined, resume: undefined, closeData: undefined, resetEvent: 'reset' })
    await r.at(0)
    expect(r.resyncs.map(info => [info.reason, info.lastEventId])).toEqual([['gap', '1']])
    expect(r.data()).toEqual(['e1', 'lost', 'e2'])
    expect(r.client.state.readyState).toBe(OPEN)
  })
})

describe('replays: what a server sends again is dropped', () => {
  it('a GET server that replays from an older id after a reconnect: each event once', async () => {
    const r = run([{ body: events(1, 5) }, { body: events(3, 8), open: true }], { method: 'GET', body: undefined, resume: undefined, closeData: undefined })
    await r.at(1000)
    expect(r.calls[1]!.headers['last-event-id']).toBe('5')
    expect(r.data()).toEqual(range(1, 8))
    expect(r.client.state.lastEventId).toBe('8')
  })

  it('a server whose every event has the same id drops nothing', async () => {
    const same = 'id: 0\ndata: a\n\nid: 0\ndata: b\n\n'
    const r = run([{ body: same }, { body: same, open: true }], { method: 'GET', body: undefined, resume: undefined, closeData: undefined })
    await r.at(1000)
    expect(r.data()).toEqual(['a', 'b', 'a', 'b'])
  })
})

describe('the replay filter, as a table', () => {
  const feed = (ids: string[], filter = createReplayFilter()): boolean[] => ids.map(id => filter.admit(id))

  it('the first attempt admits everything', () => {
    const filter = createReplayFilter()
    filter.begin(false, '', false)
    expect(feed(['1', '1', '2', ''], filter)).toEqual([true, true, true, true])
  })

  it('after Last-Event-ID: drops the replayed prefix (events without an id of their own go with the one before), up to the first new id', () => {
    const filter = createReplayFilter()
    filter.begin(false, '', false)
    feed(['1', '2', '2', '3'], filter)
    filter.begin(false, '3', true)
    expect(feed(['2', '2', '3', '4', '2'], filter)).toEqual([false, false, false, true, true])
  })

  it('a server that continues after the id with events of no id of their own: admitted', () => {
    const filter = createReplayFilter()
    filter.begin(false, '', false)
    feed(['1', '2'], filter)
    filter.begin(false, '2', true)
    expect(feed(['2', '2'], filter)).toEqual([true, true])
  })

  it('from the start: skips as many events as were delivered, whatever their ids', () => {
    const filter = createReplayFilter()
    filter.begin(false, '', false)
    feed(['', '', 'x'], filter)
    filter.begin(true, 'x', true)
    expect(feed(['', '', 'x', '', 'y'], filter)).toEqual([false, false, false, true, true])
    expect(filter.fresh).toBe(true)
  })

  it(`remembers the last ${REPLAY_WINDOW} ids: an older one is no longer known`, () => {
    const filter = createReplayFilter()
    filter.begin(false, '', false)
    feed(Array.from({ length: REPLAY_WINDOW + 1 }, (_, i) => String(i)), filter)
    filter.begin(false, String(REPLAY_WINDOW), true)
    expect(feed(['1'], filter)).toEqual([false])
    filter.begin(false, String(REPLAY_WINDOW), true)
    expect(feed(['0'], filter)).toEqual([true])
  })

  it('a server sent no last event ID starts afresh: nothing is dropped, ids or not', () => {
    const filter = createReplayFilter()
    filter.begin(false, '', false)
    feed(['1', '2'], filter)
    filter.begin(false, '2', false)
    expect(feed(['1', '2'], filter)).toEqual([true, true])
  })

  it('a server that repeats ids within a response has none to tell events apart: nothing is dropped after', () => {
    const filter = createReplayFilter()
    filter.begin(false, '', false)
    feed(['1', '2', '1'], filter)
    filter.begin(false, '1', true)
    expect(feed(['1', '2'], filter)).toEqual([true, true])
  })

  it('forget(): the ids delivered are no longer known', () => {
    const filter = createReplayFilter()
    filter.begin(false, '', false)
    feed(['1'], filter)
    filter.forget()
    filter.begin(false, '1', true)
    expect(feed(['1'], filter)).toEqual([true])
  })
})

it('an error told about a run carries no token', async () => {
  const r = run([{ headers: LOCATION, body: events(1, 1), open: true }, { status: 500 }])
  await r.at(0)
  r.calls[0]!.fail()
  await r.at(600_000)
  expect(r.errors.length).toBeGreaterThan(1)
  for (const error of r.errors)
    expect(`${error.message} ${String(error.cause)}`).not.toContain('secret')
  expect(r.errors.every(error => error instanceof EventSourceError)).toBe(true)
})
