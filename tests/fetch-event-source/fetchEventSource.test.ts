/**
 * The drop-in `fetchEventSource` (vue-event-source/fetch-event-source) in Node against the real scenario
 * server: @microsoft/fetch-event-source 2.0.1's callback contract, and each of its defects, fixed.
 * docs/migrating.md ("From `@microsoft/fetch-event-source`") promises these.
 */
import type { EventSourceMessage, FetchEventSourceInit } from '../../src/fetch-event-source/index'
import type { ScriptedResponse } from '../support/scriptedFetch'
import { describe, expect, it, vi } from 'vitest'
import { EventSourceError, EventSourceHttpError } from '../../src/core/index'
import { EventStreamContentType, fetchEventSource } from '../../src/fetch-event-source/index'
import { sleep, stageScript, streamOf, uniqueKey, useTestServer } from '../support/helpers'
import { scriptedFetch } from '../support/scriptedFetch'

const server = useTestServer()

class FatalError extends Error {}
class RetriableError extends Error {}

/**
 * How many requests fetchEventSource makes over a minute of virtual time, answered by `script`: that a
 * stream is never re-sent is a rule of time, checked on fake timers rather than by sleeping past a retry.
 */
async function requestsInAMinute(script: ScriptedResponse[], options: Omit<FetchEventSourceInit, 'fetch'> = {}): Promise<number> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  try {
    const fetch = scriptedFetch(script)
    const done = fetchEventSource('https://sse.test/stream', { ...options, fetch: fetch as unknown as typeof globalThis.fetch }).catch(() => {})
    await vi.advanceTimersByTimeAsync(60_000)
    await done
    return fetch.calls.length
  }
  finally {
    vi.useRealTimers()
  }
}

describe('drop-in fetchEventSource: the callback contract', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('onopen gets the response, onmessage each message, onclose the end; the promise resolves, nothing is re-sent', async () => {
    const key = uniqueKey()
    const seen: EventSourceMessage[] = []
    let opened: Response | undefined
    const onclose = vi.fn()
    await fetchEventSource(server.current.route('events', { key, count: 2 }), {
      async onopen(response) {
        opened = response
      },
      onmessage: message => seen.push(message),
      onclose,
    })
    expect(EventStreamContentType).toBe('text/event-stream')
    expect(opened?.headers.get('content-type')).toMatch(EventStreamContentType)
    expect(seen).toEqual([{ id: '1', event: '', data: 'event 1' }, { id: '2', event: '', data: 'event 2' }])
    expect(onclose).toHaveBeenCalledOnce()
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(await requestsInAMinute([{ body: 'id: 1\ndata: event 1\n\n' }])).toBe(1)
  })

  it('names events by their type, and aborting the signal resolves the promise and closes the connection', async () => {
    const key = uniqueKey()
    const controller = new AbortController()
    const seen: string[] = []
    const done = fetchEventSource(server.current.route('events', { key, count: 2, event: 'tick', hold: true }), {
      signal: controller.signal,
      onmessage: (message) => {
        seen.push(message.event)
        if (seen.length === 2)
          controller.abort()
      },
    })
    await expect(done).resolves.toBeUndefined()
    expect(seen).toEqual(['tick', 'tick'])
    await server.current.waitForOpen(key, 0)
  })

  it('throwing in onclose retries through onerror; a number returned from onerror sets the delay', async () => {
    const key = uniqueKey()
    const controller = new AbortController()
    const errors: unknown[] = []
    let closes = 0
    const done = fetchEventSource(server.current.route('events', { key, count: 2, per: 1 }), {
      signal: controller.signal,
      onclose() {
        if (++closes === 2)
          controller.abort()
        throw new RetriableError('closed by the server')
      },
      onerror(error) {
        errors.push(error)
        return 300
      },
    })
    await done
    const [first, second] = server.current.stats(key).requests
    expect(errors[0]).toBeInstanceOf(RetriableError)
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(290)
    expect(second!.headers['last-event-id']).toBe('1')
  })

  it('throwing in onerror stops: the promise rejects with what was thrown, and nothing is retried', async () => {
    const key = uniqueKey()
    const done = fetchEventSource(server.current.route('flaky', { key, fails: 5, code: 503 }), {
      onerror(error) {
        throw new FatalError(`stop: ${(error as EventSourceHttpError).status}`)
      },
    })
    await expect(done).rejects.toThrow(new FatalError('stop: 503'))
    expect(server.current.stats(key).requests).toHaveLength(1)
    const stop = (): never => {
      throw new FatalError('stop')
    }
    expect(await requestsInAMinute([{ status: 503 }], { onerror: stop })).toBe(1)
  })

  it('onerror returning nothing backs off: 1 s doubling to 30 s, with jitter on top (on virtual time)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const random = vi.spyOn(Math, 'random').mockReturnValue(0)
    try {
      const gaps = async (): Promise<number[]> => {
        const fetch = scriptedFetch([{ status: 503 }])
        const controller = new AbortController()
        const done = fetchEventSource('https://sse.test/stream', { fetch: fetch as unknown as typeof globalThis.fetch, signal: controller.signal, onerror: () => {} })
        await vi.advanceTimersByTimeAsync(200_000)
        controller.abort()
        await done
        return fetch.calls.slice(1, 8).map((call, i) => call.at - fetch.calls[i]!.at)
      }
      expect(await gaps()).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000])
      random.mockReturnValue(0.999_999)
      const jittered = await gaps()
      ;[1000, 2000, 4000, 8000, 16_000, 30_000].forEach((base, i) => {
        expect(jittered[i]).toBeGreaterThan(base * 1.24)
        expect(jittered[i]).toBeLessThanOrEqual(base * 1.25)
      })
    }
    finally {
      random.mockRestore()
      vi.useRealTimers()
    }
  })

  it('throwing in onopen passes the error to onerror, which may stop', async () => {
    const key = uniqueKey()
    const done = fetchEventSource(server.current.route('events', { key, count: 1, hold: true }), {
      async onopen() {
        throw new FatalError('not for me')
      },
      onerror(error) {
        throw error
      },
    })
    await expect(done).rejects.toThrow(new FatalError('not for me'))
    await server.current.waitForOpen(key, 0)
  })
})

describe('drop-in fetchEventSource: fetch-event-source\'s defects, fixed', () => {
  it('a 401 is not retried every second for ever: onerror is told once and the promise rejects', async () => {
    const key = uniqueKey()
    const onerror = vi.fn()
    const done = fetchEventSource(server.current.route('authed', { key }), { onerror })
    await expect(done).rejects.toBeInstanceOf(EventSourceHttpError)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(onerror).toHaveBeenCalledOnce()
    expect(await requestsInAMinute([{ status: 401 }])).toBe(1)
  })

  it('an already-aborted signal sends no request and resolves', async () => {
    const key = uniqueKey()
    const controller = new AbortController()
    controller.abort()
    await expect(fetchEventSource(server.current.route('events', { key }), { signal: controller.signal })).resolves.toBeUndefined()
    await sleep(100)
    expect(server.current.stats(key).requests).toHaveLength(0)
  })

  it('the spec\'s parser: an empty data: line is a message, a colon-less line a field, comments are no messages, a bad retry: is ignored', async () => {
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf(': comment\n\ndata:\n\ndata\n\nretry: 1x\ndata: after\n\n'), { status: 204 }])
    const seen: string[] = []
    await fetchEventSource(url, { onmessage: message => seen.push(JSON.stringify(message.data)) })
    expect(seen).toEqual(['""', '""', '"after"'])
  })

  it('the last event ID is committed at dispatch: an id in an event cut off is not sent on the reconnect', async () => {
    const key = uniqueKey()
    const controller = new AbortController()
    const ids: string[] = []
    void fetchEventSource(server.current.route('drop', { key, count: 2, after: 20 }), {
      signal: controller.signal,
      onmessage: message => ids.push(message.id),
      onerror: () => 50,
    })
    await server.current.waitForOpen(key, 1)
    await vi.waitFor(() => expect(server.current.stats(key).requests.length).toBeGreaterThanOrEqual(2), { timeout: 3000 })
    controller.abort()
    expect(ids.slice(0, 2)).toEqual(['1', '2'])
    expect(server.current.stats(key).requests[1]!.headers['last-event-id']).toBe('2')
  })

  it('a POST stream that ends is complete: onclose, the promise resolves, the body is sent once', async () => {
    const key = uniqueKey()
    const onclose = vi.fn()
    await fetchEventSource(server.current.route('echo', { key }), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: 1 }), onclose })
    expect(onclose).toHaveBeenCalledOnce()
    const requests = server.current.stats(key).requests
    expect(requests).toHaveLength(1)
    expect(requests[0]!.body).toBe('{"q":1}')
    expect(await requestsInAMinute([{ body: 'data: x\n\n' }], { method: 'POST', body: '{"q":1}' })).toBe(1)
  })

  it('a 403, a 404 and a 200 that is not text/event-stream stop too: onerror is told once, the promise rejects, onopen sees each; a 408 and a 429 are retried', async () => {
    for (const [route, params] of [['status', { code: 403 }], ['status', { code: 404 }], ['wrong-type', {}]] as const) {
      const key = uniqueKey()
      const onerror = vi.fn()
      const onopen = vi.fn()
      await expect(fetchEventSource(server.current.route(route, { key, ...params }), { onerror, onopen })).rejects.toBeInstanceOf(EventSourceError)
      expect(onerror).toHaveBeenCalledOnce()
      // As in fetch-event-source, onopen sees every response (issue 30); this one lets it through to our rules.
      expect(onopen).toHaveBeenCalledOnce()
      expect(server.current.stats(key).requests).toHaveLength(1)
    }
    for (const code of [408, 429]) {
      const key = uniqueKey()
      const onopen = vi.fn()
      await fetchEventSource(server.current.route('flaky', { key, fails: 1, code, count: 1 }), { onerror: () => 20, onopen })
      expect(server.current.stats(key).requests).toHaveLength(2)
      expect(onopen).toHaveBeenCalledTimes(2)
    }
  })

  it('message.event is \'\' for a message named message too, message.id is the last event ID, and retry is never set', async () => {
    const url = await stageScript(server.current.url, uniqueKey(), [streamOf('event: message\ndata: a\n\nid: 5\ndata: b\n\nevent: tick\ndata: c\n\nretry: 100\ndata: d\n\n')])
    const seen: EventSourceMessage[] = []
    await fetchEventSource(url, { onmessage: message => seen.push(message) })
    expect(seen).toStrictEqual([
      { id: '', event: '', data: 'a' },
      { id: '5', event: '', data: 'b' },
      { id: '5', event: 'tick', data: 'c' },
      { id: '5', event: '', data: 'd' },
    ])
  })

  it('a throwing onmessage leaves the stream open and goes to the console', async () => {
    const key = uniqueKey()
    const controller = new AbortController()
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const seen: string[] = []
    const done = fetchEventSource(server.current.route('events', { key, count: 3, hold: true }), {
      signal: controller.signal,
      onmessage: (message) => {
        seen.push(message.data)
        if (message.id === '1')
          throw new Error('a bug in the handler')
      },
    })
    try {
      await vi.waitFor(() => expect(seen).toEqual(['event 1', 'event 2', 'event 3']))
      expect(server.current.stats(key).requests).toHaveLength(1)
      expect(server.current.stats(key).open).toBe(1)
      expect(logged).toHaveBeenCalledOnce()
      expect(logged.mock.calls[0]![0]).toMatchObject({ type: 'handler' })
    }
    finally {
      controller.abort()
      logged.mockRestore()
    }
    await done
  })

  it('passes the rest of RequestInit to the fetch it is given', async () => {
    const inits: RequestInit[] = []
    await fetchEventSource(server.current.route('events', { key: uniqueKey(), count: 1 }), {
      referrerPolicy: 'no-referrer',
      fetch: (input, init) => {
        inits.push(init ?? {})
        return globalThis.fetch(input, init)
      },
    })
    expect(inits).toHaveLength(1)
    expect(inits[0]!.referrerPolicy).toBe('no-referrer')
  })

  it('runs in Node, where fetch-event-source itself needs a window and a document', async () => {
    const { fetchEventSource: theirs } = await import('@microsoft/fetch-event-source')
    await expect(theirs(server.current.route('events', { key: uniqueKey(), count: 1 }), { onerror: (error) => {
      throw error
    } })).rejects.toThrow(/window|document/)
  })
})

// Issue 30, part 3: @microsoft/fetch-event-source's README pattern. Its onopen sees every response and
// throws a FatalError for a 4xx; onerror rethrows it; the promise rejects with that very FatalError. Our
// drop-in rejected with its own EventSourceHttpError before the user's onopen ran, so `catch (e) { if (e
// instanceof FatalError) … }` never matched. docs/migrating.md ("From `@microsoft/fetch-event-source`").
describe('fetch-event-source\'s README pattern', () => {
  async function readmeOnopen(response: Response): Promise<void> {
    if (response.ok && response.headers.get('content-type') === EventStreamContentType)
      return
    if (response.status >= 400 && response.status < 500 && response.status !== 429)
      throw new FatalError(String(response.status))
    throw new RetriableError(String(response.status))
  }
  const readmeOnerror = (error: unknown): number | undefined => {
    if (error instanceof FatalError)
      throw error
    return 10
  }

  it('onopen sees a 401 and throws a FatalError; onerror rethrows it; the promise rejects with that very FatalError', async () => {
    const key = uniqueKey()
    const statuses: number[] = []
    const errors: unknown[] = []
    const done = fetchEventSource(server.current.route('authed', { key }), {
      onopen: async (response) => {
        statuses.push(response.status)
        await readmeOnopen(response)
      },
      onerror: (error) => {
        errors.push(error)
        return readmeOnerror(error)
      },
    })
    const rejection = await done.then(() => null, (error: unknown) => error)
    expect(rejection).toBeInstanceOf(FatalError)
    expect((rejection as FatalError).message).toBe('401')
    expect(statuses).toEqual([401])
    expect(errors).toEqual([rejection])
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  it('a 503 in the same onopen: its RetriableError reaches onerror, which retries, and the stream then reads to its end', async () => {
    const key = uniqueKey()
    const statuses: number[] = []
    const errors: unknown[] = []
    const messages: string[] = []
    await fetchEventSource(server.current.route('flaky', { key, fails: 2, code: 503, count: 2 }), {
      onopen: async (response) => {
        statuses.push(response.status)
        await readmeOnopen(response)
      },
      onmessage: message => messages.push(message.data),
      onerror: (error) => {
        errors.push(error)
        return readmeOnerror(error)
      },
      onclose: () => {
        throw new FatalError('closed')
      },
    }).catch((error: unknown) => {
      expect(error).toBeInstanceOf(FatalError)
    })
    expect(statuses).toEqual([503, 503, 200])
    expect(errors.slice(0, 2).map(error => [error instanceof RetriableError, (error as Error).message])).toEqual([[true, '503'], [true, '503']])
    expect(messages).toEqual(['event 1', 'event 2'])
  })
})
