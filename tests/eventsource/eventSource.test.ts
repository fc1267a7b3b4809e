/**
 * The drop-in `EventSource` (vue-event-source/eventsource) in Node against the real scenario server: the
 * WHATWG behaviours, and code in the shape our users' guides teach, unchanged apart from the import.
 * docs/migrating.md ("From the browser's `EventSource`") promises these, and what differs. docs/spec.md:
 * the default reconnection time is 1 s.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EventSource, EventSourceErrorEvent } from '../../src/eventsource/index'
import { guideShapeA } from '../fixtures/guides'
import { sleep, uniqueKey, until, useTestServer } from '../support/helpers'
import { freePort } from '../support/ports'
import { scriptedFetch } from '../support/scriptedFetch'

const server = useTestServer()

/** Resolves with the first event of `type`. */
function next<E extends Event>(target: EventTarget, type: string): Promise<E> {
  return new Promise(resolve => target.addEventListener(type, event => resolve(event as E), { once: true }))
}

describe('drop-in EventSource: the WHATWG interface', () => {
  it('has the constants on the class and on instances, and url, withCredentials, readyState', () => {
    const source = new EventSource(server.current.route('events', { key: uniqueKey(), count: 1 }), { withCredentials: true })
    expect([EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED]).toEqual([0, 1, 2])
    expect([source.CONNECTING, source.OPEN, source.CLOSED]).toEqual([0, 1, 2])
    expect(Object.hasOwn(source, 'OPEN')).toBe(false)
    expect(source.url.startsWith(server.current.url)).toBe(true)
    expect(source.withCredentials).toBe(true)
    expect(source.readyState).toBe(EventSource.CONNECTING)
    expect(source).toBeInstanceOf(EventTarget)
    source.close()
    expect(source.readyState).toBe(EventSource.CLOSED)
  })

  it('throws a SyntaxError DOMException for a URL that does not parse, with the eventsource package\'s message', () => {
    expect(() => new EventSource('/relative, with no base in Node')).toThrow(expect.objectContaining({ name: 'SyntaxError' }))
    expect(() => new EventSource('http://[::1')).toThrow(DOMException)
    // Issue 30: code written against the `eventsource` npm package may match its message.
    expect(() => new EventSource('http://[::1')).toThrow('An invalid or illegal string was specified')
  })

  // Promised in README.md (tests/fixtures/promises/).
  it('goes CONNECTING, OPEN, and delivers MessageEvents with data, origin and lastEventId', async () => {
    const source = new EventSource(server.current.route('events', { key: uniqueKey(), count: 2, hold: true }))
    const states: number[] = [source.readyState]
    source.onopen = () => states.push(source.readyState)
    const messages: MessageEvent[] = []
    source.onmessage = event => messages.push(event)
    await until(() => messages.length === 2)
    expect(states).toEqual([0, 1])
    expect(messages[0]).toBeInstanceOf(MessageEvent)
    expect(messages.map(m => [m.type, m.data, m.lastEventId, m.origin])).toEqual([
      ['message', 'event 1', '1', server.current.url],
      ['message', 'event 2', '2', server.current.url],
    ])
    source.close()
  })

  it('handler setters replace, and null removes, without moving the listener in the order', async () => {
    const key = uniqueKey()
    const source = new EventSource(server.current.route('events', { key, count: 2, hold: true }))
    const seen: string[] = []
    source.onmessage = () => seen.push('first')
    source.addEventListener('message', () => {
      seen.push('listener')
      // After the first event, in its own dispatch: the second event must reach the listener alone.
      source.onmessage = null
    })
    source.onmessage = () => seen.push('second')
    expect(typeof source.onmessage).toBe('function')
    await until(() => seen.length >= 3)
    await sleep(50)
    expect(source.onmessage).toBeNull()
    source.close()
    expect(seen).toEqual(['second', 'listener', 'listener'])
  })

  it('named events reach addEventListener only, not onmessage', async () => {
    const source = new EventSource(server.current.route('events', { key: uniqueKey(), count: 2, event: 'tick', hold: true }))
    const ticks: string[] = []
    let messages = 0
    source.onmessage = () => messages++
    source.addEventListener('tick', event => ticks.push(event.data))
    await until(() => ticks.length === 2)
    source.close()
    expect(ticks).toEqual(['event 1', 'event 2'])
    expect(messages).toBe(0)
  })

  it('fires each event from a task of its own: a listener\'s microtasks run before the next event', async () => {
    const source = new EventSource(server.current.route('events', { key: uniqueKey(), count: 3, hold: true }))
    const order: string[] = []
    source.onmessage = (event) => {
      order.push(`event ${event.lastEventId}`)
      void Promise.resolve().then(() => order.push(`microtask ${event.lastEventId}`))
    }
    await until(() => order.length === 6)
    source.close()
    expect(order).toEqual(['event 1', 'microtask 1', 'event 2', 'microtask 2', 'event 3', 'microtask 3'])
  })

  it('reconnects when the stream ends: error with readyState CONNECTING, then Last-Event-ID resumes', async () => {
    const key = uniqueKey()
    const source = new EventSource(server.current.route('events', { key, count: 4, per: 2, retry: 10 }))
    const log: string[] = []
    source.onopen = () => log.push(`open ${source.readyState}`)
    source.onerror = event => log.push(`error ${source.readyState} ${event instanceof EventSourceErrorEvent}`)
    source.onmessage = event => log.push(event.data)
    await until(() => log.includes('event 4'))
    source.close()
    expect(log.slice(0, 7)).toEqual(['open 1', 'event 1', 'event 2', 'error 0 true', 'open 1', 'event 3', 'event 4'])
    expect(server.current.stats(key).requests[1]!.headers['last-event-id']).toBe('2')
  })

  it('a status other than 200 fails the connection: CLOSED, one error with code and message, no retry', async () => {
    const key = uniqueKey()
    const source = new EventSource(server.current.route('status', { key, code: 503 }))
    const error = await next<EventSourceErrorEvent>(source, 'error')
    expect(source.readyState).toBe(EventSource.CLOSED)
    expect(error.code).toBe(503)
    // The `eventsource` package's words, which its users match on (issue 30).
    expect(error.message).toBe('Non-200 status code (503)')
    expect(error.error).toMatchObject({ type: 'http-status', status: 503 })
    await sleep(1200)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  it('204 stops: CLOSED with an error event, and no further request', async () => {
    const key = uniqueKey()
    const source = new EventSource(server.current.route('no-content', { key }))
    const error = await next<EventSourceErrorEvent>(source, 'error')
    expect(source.readyState).toBe(EventSource.CLOSED)
    // As the `eventsource` package says it (issue 30): it gave no message and no code.
    expect([error.message, error.code, error.error]).toEqual(['Server sent HTTP 204, not reconnecting', 204, null])
    await sleep(1200)
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  it('close() inside onerror stops: no reconnection follows', async () => {
    const key = uniqueKey()
    const source = new EventSource(server.current.route('events', { key, count: 1, retry: 10 }))
    let errors = 0
    source.onerror = () => {
      errors++
      source.close()
    }
    await until(() => errors === 1)
    await sleep(300)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(source.readyState).toBe(EventSource.CLOSED)
    expect(errors).toBe(1)
  })

  it('close() before a queued event runs drops it, as the spec\'s task checks readyState', async () => {
    const source = new EventSource(server.current.route('events', { key: uniqueKey(), count: 5, hold: true }))
    const seen: string[] = []
    source.onmessage = (event) => {
      seen.push(event.data)
      source.close()
    }
    await until(() => seen.length > 0)
    await sleep(100)
    expect(seen).toEqual(['event 1'])
  })

  it('sends headers and a bearer token from the second argument, and POSTs a body', async () => {
    const key = uniqueKey()
    const source = new EventSource(server.current.route('echo', { key, hold: true }), { headers: { 'X-Tenant': 'a' }, token: () => 'secret-token', method: 'POST', body: { q: 1 } })
    const event = await next<MessageEvent>(source, 'message')
    source.close()
    const seen = JSON.parse(event.data) as { method: string, headers: Record<string, string>, body: string }
    expect(seen.method).toBe('POST')
    expect(seen.headers['x-tenant']).toBe('a')
    expect(seen.headers.authorization).toBe('Bearer secret-token')
    expect(JSON.parse(seen.body)).toEqual({ q: 1 })
  })
})

// Promised in README.md (tests/fixtures/promises/).
// Issue 30: the `eventsource` package's own suite (v4.1.1) matches error events on these words and codes.
describe('drop-in EventSource: error events as the eventsource package gives them', () => {
  it('a fetch that fails: the error event\'s message is the runtime\'s fetch failure, and why', async () => {
    const source = new EventSource(`http://127.0.0.1:${await freePort()}/events`)
    const error = await next<EventSourceErrorEvent>(source, 'error')
    source.close()
    expect(error.message).toMatch(/fetch failed|failed to fetch|load failed/i)
    expect(error.message).toMatch(/ECONNREFUSED/)
    expect(error.code).toBeUndefined()
  })

  it('a 200 that is not text/event-stream: its message and code 200', async () => {
    const source = new EventSource(server.current.route('wrong-type', { key: uniqueKey() }))
    const error = await next<EventSourceErrorEvent>(source, 'error')
    expect([source.readyState, error.message, error.code]).toEqual([EventSource.CLOSED, 'Invalid content type, expected "text/event-stream"', 200])
  })

  it('a fetch whose response has no body stream: its message, and it does not reconnect', async () => {
    const fetch = (async () => ({ status: 200, headers: new Headers({ 'content-type': 'text/event-stream' }), body: 'not a stream' })) as unknown as typeof globalThis.fetch
    const source = new EventSource('http://127.0.0.1/never', { fetch })
    const error = await next<EventSourceErrorEvent>(source, 'error')
    expect([source.readyState, error.message, error.code]).toEqual([EventSource.CLOSED, 'Invalid response body, expected a web ReadableStream', 200])
  })

  it('marks its class, as the eventsource package does, as taking a fetch in its options', () => {
    const mark = Symbol.for('eventsource.supports-fetch-override')
    expect((EventSource as unknown as Record<symbol, unknown>)[mark]).toBe(true)
    expect(Object.getOwnPropertyDescriptor(EventSource, mark)?.enumerable).toBe(false)
  })
})

describe('drop-in EventSource: what is new, and what differs from the browser\'s', () => {
  it('takes fetch, heartbeatTimeout, reconnect and lastEventIdParam in its second argument', async () => {
    const key = uniqueKey()
    const fetched: string[] = []
    const source = new EventSource(server.current.route('events', { key, count: 4, per: 2 }), {
      fetch: (url, init) => {
        fetched.push(url)
        return globalThis.fetch(url, init)
      },
      reconnect: { delay: 10, jitter: 0 },
      lastEventIdParam: 'lastEventId',
    })
    const data: string[] = []
    source.onmessage = event => data.push(event.data)
    await until(() => data.length === 4)
    source.close()
    const [first, second] = server.current.stats(key).requests
    expect(fetched).toEqual([first!.url, second!.url].map(url => new URL(url, server.current.url).href))
    // reconnect's 10 ms, where the default waits at least 1 s
    expect(second!.at - first!.at).toBeLessThan(900)
    expect(new URL(second!.url, server.current.url).searchParams.get('lastEventId')).toBe('2')
    const stalled = new EventSource(server.current.route('stalled', { key: uniqueKey() }), { heartbeatTimeout: 200, reconnect: false })
    const error = await next<EventSourceErrorEvent>(stalled, 'error')
    expect(error.error?.type).toBe('heartbeat-timeout')
    expect(stalled.readyState).toBe(EventSource.CLOSED)
  })

  it('one event over 4 MiB fails the attempt with event-too-large; one of 4 MiB is delivered', async () => {
    const whole = new EventSource(server.current.route('big', { key: uniqueKey(), size: 4_194_304, shape: 'event' }), { reconnect: false })
    const delivered = await next<MessageEvent>(whole, 'message')
    whole.close()
    expect(delivered.data).toHaveLength(4_194_304)
    const over = new EventSource(server.current.route('big', { key: uniqueKey(), size: 4_194_305, shape: 'event' }), { reconnect: false })
    let messages = 0
    over.onmessage = () => messages++
    const error = await next<EventSourceErrorEvent>(over, 'error')
    expect(error.error).toMatchObject({ type: 'event-too-large', limit: 4_194_304 })
    expect(messages).toBe(0)
  })
})

describe('drop-in EventSource: its waits, on virtual time', () => {
  const URL_ = 'https://sse.test/stream'
  // The client's timers and clock are virtual; the drop-in's event tasks (setImmediate) stay real.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
  })
  /** Lets the drop-in's event tasks run (real ones, one per turn of the event loop) until `check()` holds. */
  const tasksUntil = async (check: () => boolean): Promise<void> => {
    for (let turn = 0; turn < 10_000 && !check(); turn++)
      await new Promise(resolve => setImmediate(resolve))
  }
  const gaps = (times: number[]): number[] => times.slice(1).map((time, i) => time - times[i]!)

  it('a network failure reconnects with backoff, 1 s doubling up to 30 s, with jitter, rather than at a fixed 3 s', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0)
    const failing = scriptedFetch([{ reject: new TypeError('fetch failed') }])
    const low = new EventSource(URL_, { fetch: failing })
    await vi.advanceTimersByTimeAsync(200_000)
    low.close()
    expect(gaps(failing.calls.map(call => call.at)).slice(0, 8)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000])
    // the jitter: up to a quarter on top
    random.mockReturnValue(0.999_999)
    const jittered = scriptedFetch([{ reject: new TypeError('fetch failed') }])
    const high = new EventSource(URL_, { fetch: jittered })
    await vi.advanceTimersByTimeAsync(200_000)
    high.close()
    const waits = gaps(jittered.calls.map(call => call.at)).slice(0, 6)
    ;[1000, 2000, 4000, 8000, 16_000, 30_000].forEach((base, i) => {
      expect(waits[i]).toBeGreaterThan(base * 1.24)
      expect(waits[i]).toBeLessThanOrEqual(base * 1.25)
    })
  })

  it('a stream that ends reconnects after 1 s, or after the server\'s retry:', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const ending = scriptedFetch([{ body: 'data: x\n\n' }])
    const plain = new EventSource(URL_, { fetch: ending })
    await vi.advanceTimersByTimeAsync(3500)
    plain.close()
    expect(gaps(ending.calls.map(call => call.at))).toEqual([1000, 1000, 1000])
    const retrying = scriptedFetch([{ body: 'retry: 50\ndata: x\n\n' }])
    const told = new EventSource(URL_, { fetch: retrying })
    await vi.advanceTimersByTimeAsync(175)
    told.close()
    expect(gaps(retrying.calls.map(call => call.at))).toEqual([50, 50, 50])
  })

  it('no response headers after 30 s: an error event with connect-timeout, then it reconnects', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const fetch = scriptedFetch([{ hang: true }, { open: true }])
    const source = new EventSource(URL_, { fetch })
    const errors: (string | undefined)[] = []
    source.onerror = event => errors.push(event.error?.type)
    await vi.advanceTimersByTimeAsync(29_999)
    expect(fetch.calls[0]!.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetch.calls[0]!.aborted).toBe(true)
    await tasksUntil(() => errors.length > 0)
    expect(errors).toEqual(['connect-timeout'])
    expect(source.readyState).toBe(EventSource.CONNECTING)
    await vi.advanceTimersByTimeAsync(999)
    expect(fetch.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetch.calls).toHaveLength(2)
    await tasksUntil(() => source.readyState === EventSource.OPEN)
    expect(source.readyState).toBe(EventSource.OPEN)
    source.close()
  })
})

describe('drop-in EventSource: the users\' guide shape (a), unchanged apart from the import', () => {
  it('onmessage parses JSON, notice/update listeners, an error listener that reconnects itself after 5 s; event: close at 10 s ends it', async () => {
    const key = uniqueKey()
    const url = server.current.route('guide', { key, interval: 1000, closeAfter: 10_000 })
    const { items, notices, updates, log, source } = guideShapeA(EventSource, url)
    await until(() => log.includes('close'), 15_000)
    await sleep(200)
    expect(log).toEqual(['close'])
    expect(items.length + notices.length + updates.length).toBeGreaterThanOrEqual(8)
    expect(notices.every(n => (n as { kind: string }).kind === 'notice')).toBe(true)
    expect(updates.every(n => (n as { kind: string }).kind === 'update')).toBe(true)
    expect(source().readyState).toBe(EventSource.CLOSED)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(server.current.stats(key).open).toBe(0)
  }, 20_000)
})
