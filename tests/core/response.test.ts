// Tests here hold promises of docs/guide/reconnection.md and docs/guide/errors.md (listed in tests/fixtures/promises/).
import type { AttemptEnd } from '../../src/core/attempt'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventSourceError, EventSourceHttpError } from '../../src/core/errors'
import { isEventStream, judgeResponse } from '../../src/core/response'

const STREAM = { 'content-type': 'text/event-stream' }

function respond(status: number, headers: Record<string, string> = {}, body: string | null = null): Response {
  return new Response(body, { status, headers })
}

function failure(verdict: AttemptEnd | null): Extract<AttemptEnd, { kind: 'fail' }> {
  expect(verdict?.kind).toBe('fail')
  return verdict as Extract<AttemptEnd, { kind: 'fail' }>
}

afterEach(() => {
  vi.useRealTimers()
})

describe('isEventStream', () => {
  it('accepts text/event-stream exactly', () => {
    expect(isEventStream('text/event-stream')).toBe(true)
  })

  it('accepts any case and parameters after a semicolon', () => {
    expect(isEventStream('TEXT/EVENT-STREAM')).toBe(true)
    expect(isEventStream('text/event-stream; charset=utf-8')).toBe(true)
    expect(isEventStream('text/event-stream;charset=UTF-8;foo=bar')).toBe(true)
    expect(isEventStream('text/event-stream;')).toBe(true)
  })

  it('ignores whitespace around the media type', () => {
    expect(isEventStream('  text/event-stream  ')).toBe(true)
    expect(isEventStream('\ttext/event-stream ; charset=utf-8')).toBe(true)
  })

  it('rejects other types, near misses and a missing header', () => {
    expect(isEventStream(null)).toBe(false)
    expect(isEventStream('')).toBe(false)
    expect(isEventStream(';')).toBe(false)
    expect(isEventStream('text/plain')).toBe(false)
    expect(isEventStream('text/event-streams')).toBe(false)
    expect(isEventStream('text/event')).toBe(false)
    expect(isEventStream('application/event-stream')).toBe(false)
    expect(isEventStream('text/ event-stream')).toBe(false)
    expect(isEventStream('text/event-stream, text/plain')).toBe(false)
    // A parameter that names the type does not make the type.
    expect(isEventStream('text/plain; type=text/event-stream')).toBe(false)
  })
})

describe('judgeResponse: accepted', () => {
  it('opens a 200 with text/event-stream', () => {
    expect(judgeResponse(respond(200, STREAM, 'data: x\n\n'))).toBeNull()
    expect(judgeResponse(respond(200, { 'content-type': 'Text/Event-Stream; charset=utf-8' }))).toBeNull()
  })

  it('ignores Retry-After on a 200', () => {
    expect(judgeResponse(respond(200, { ...STREAM, 'retry-after': '5' }))).toBeNull()
  })
})

describe('judgeResponse: 204', () => {
  it('stops, whatever the Content-Type or headers', () => {
    expect(judgeResponse(respond(204))).toEqual({ kind: 'stop' })
    expect(judgeResponse(respond(204, STREAM))).toEqual({ kind: 'stop' })
    expect(judgeResponse(respond(204, { 'content-type': 'text/plain', 'retry-after': '5' }))).toEqual({ kind: 'stop' })
  })
})

describe('judgeResponse: 401 and 403', () => {
  it.each([401, 403])('%i is unauthorized, with an http-status error that carries the status and no Retry-After', (status) => {
    const verdict = judgeResponse(respond(status, { 'retry-after': '30', 'content-type': 'text/event-stream' }))
    expect(verdict?.kind).toBe('unauthorized')
    const { error } = verdict as Extract<AttemptEnd, { kind: 'unauthorized' }>
    expect(error).toBeInstanceOf(EventSourceHttpError)
    expect(error.type).toBe('http-status')
    expect(error.status).toBe(status)
    expect(error.retryAfter).toBeNull()
    expect(error.message).toContain(String(status))
  })
})

describe('judgeResponse: other statuses', () => {
  it.each([408, 429, 500, 502, 503, 504, 599])('%i fails and is retryable', (status) => {
    const verdict = failure(judgeResponse(respond(status)))
    expect(verdict.retryable).toBe(true)
    expect(verdict.retryAfter).toBeNull()
    expect(verdict.error).toBeInstanceOf(EventSourceHttpError)
    expect((verdict.error as EventSourceHttpError).status).toBe(status)
    expect((verdict.error as EventSourceHttpError).retryAfter).toBeNull()
  })

  it.each([201, 202, 206, 301, 304, 400, 402, 404, 405, 407, 409, 410, 418, 428, 451, 499])('%i fails for good', (status) => {
    const verdict = failure(judgeResponse(respond(status, STREAM)))
    expect(verdict.retryable).toBe(false)
    expect(verdict.error.type).toBe('http-status')
    expect((verdict.error as EventSourceHttpError).status).toBe(status)
  })

  it('an opaque response (status 0) fails for good', () => {
    const verdict = failure(judgeResponse(Response.error()))
    expect(verdict.retryable).toBe(false)
    expect((verdict.error as EventSourceHttpError).status).toBe(0)
  })

  it('reads Retry-After in seconds into the verdict and the error', () => {
    const verdict = failure(judgeResponse(respond(503, { 'retry-after': '2' })))
    expect(verdict.retryAfter).toBe(2000)
    expect((verdict.error as EventSourceHttpError).retryAfter).toBe(2000)
    expect(failure(judgeResponse(respond(429, { 'retry-after': ' 0 ' }))).retryAfter).toBe(0)
  })

  it('reads Retry-After as an HTTP date, relative to now', () => {
    vi.useFakeTimers()
    vi.setSystemTime(Date.parse('Sat, 21 Nov 2026 10:00:00 GMT'))
    expect(failure(judgeResponse(respond(503, { 'retry-after': 'Sat, 21 Nov 2026 10:00:07 GMT' }))).retryAfter).toBe(7000)
    // A date in the past means "now".
    expect(failure(judgeResponse(respond(503, { 'retry-after': 'Sat, 21 Nov 2026 09:59:00 GMT' }))).retryAfter).toBe(0)
  })

  it('an unreadable Retry-After counts as none', () => {
    for (const value of ['soon', '', '1e3', 'in a minute'])
      expect(failure(judgeResponse(respond(503, { 'retry-after': value }))).retryAfter).toBeNull()
  })

  it('reads Retry-After on a status that is not retried too', () => {
    const verdict = failure(judgeResponse(respond(400, { 'retry-after': '3' })))
    expect(verdict.retryable).toBe(false)
    expect(verdict.retryAfter).toBe(3000)
  })
})

describe('judgeResponse: 200 with the wrong Content-Type', () => {
  it('fails for good with a content-type error naming what came', () => {
    const verdict = failure(judgeResponse(respond(200, { 'content-type': 'text/plain', 'retry-after': '5' }, 'hello')))
    expect(verdict.retryable).toBe(false)
    expect(verdict.retryAfter).toBeNull()
    expect(verdict.error).toBeInstanceOf(EventSourceError)
    expect(verdict.error).not.toBeInstanceOf(EventSourceHttpError)
    expect(verdict.error.type).toBe('content-type')
    expect(verdict.error.contentType).toBe('text/plain')
    expect(verdict.error.message).toContain('text/plain')
  })

  it('fails with contentType null and says "none" when there is no Content-Type', () => {
    const response = respond(200)
    expect(response.headers.get('content-type')).toBeNull()
    const verdict = failure(judgeResponse(response))
    expect(verdict.retryable).toBe(false)
    expect(verdict.error.type).toBe('content-type')
    expect(verdict.error.contentType).toBeNull()
    expect(verdict.error.message).toContain('none')
  })

  it('does not touch the body', () => {
    const response = respond(200, { 'content-type': 'application/json' }, '{}')
    judgeResponse(response)
    expect(response.bodyUsed).toBe(false)
  })
})
