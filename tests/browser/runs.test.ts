// Tests here hold promises of docs/guide/resumable-runs.md (listed in tests/fixtures/promises/).
/**
 * Resumable runs in Chromium, cross-origin (the run server is another 127.0.0.1 port, with CORS that
 * exposes `Location` and allows `Last-Event-ID`): the POST's connection is dropped by the server mid-run,
 * and the rest is read by GET. The same in Node against resumable-stream, the AI SDK and TanStack AI:
 * tests/runs.test.ts.
 */
import type { EventSourceError } from '../../src/index'
import { describe, expect, inject, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useEventSource } from '../../src/index'
import { server, stats, uniqueKey } from './stats'

const runServer = inject('runServerUrl')

interface Logged { method: string, path: string, lastEventId: string | null, status: number }
const log = async (): Promise<Logged[]> => (await fetch(`${runServer}/_requests`)).json() as Promise<Logged[]>

describe('a resumable run, in Chromium, cross-origin', () => {
  it('a POST whose connection drops after 7 events: the rest by GET with Last-Event-ID, every event once, one POST', async () => {
    const before = (await log()).length
    const scope = effectScope()
    const seen: number[] = []
    const stream = scope.run(() => useEventSource<{ i: number }>(`${runServer}/api/runs?cutAfter=7`, {
      method: 'POST',
      body: { prompt: 'hi' },
      parse: 'json',
      closeData: '[DONE]',
      reconnect: { delay: 100, jitter: 0 },
      resume: { url: response => response.headers.get('Location') },
    }))!
    stream.on('message', ({ data }) => seen.push(data.i))
    await vi.waitFor(() => expect(stream.done.value).toBe(true), { timeout: 10_000 })
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect(stream.resumeUrl.value).toMatch(new RegExp(`^${runServer}/api/runs/[\\w-]+/events$`))
    const requests = (await log()).slice(before)
    expect(requests.filter(request => request.method === 'POST')).toHaveLength(1)
    const resumes = requests.filter(request => request.method === 'GET')
    expect(resumes).toHaveLength(1)
    // the last event the POST's response delivered before the server dropped it (7 written, the last may be lost)
    expect(resumes[0]!.lastEventId).toMatch(/-[1-7]$/)
    expect(stream.error.value).toBeNull()
    scope.stop()
  })

  // docs/guide/resumable-runs.md: a resume URL on another origin whose server sends no CORS headers
  it('a resume URL on another origin without CORS: cors errors bounded by resume.retries, then CLOSED; one POST, nothing twice', async () => {
    const before = (await log()).length
    const key = uniqueKey()
    // the scenario server (another origin) answers every request, with no CORS header at all
    const elsewhere = server.route('forever', { key, cors: 'none' })
    const scope = effectScope()
    const seen: number[] = []
    const errors: EventSourceError[] = []
    const stream = scope.run(() => useEventSource<{ i: number }>(`${runServer}/api/runs?cutAfter=5`, {
      method: 'POST',
      body: { prompt: 'hi' },
      parse: 'json',
      closeData: '[DONE]',
      reconnect: { delay: 50, jitter: 0 },
      resume: { url: () => elsewhere },
      onError: error => errors.push(error),
    }))!
    stream.on('message', ({ data }) => seen.push(data.i))
    await vi.waitFor(() => expect(stream.status.value).toBe('CLOSED'), { timeout: 15_000 })
    expect(stream.resumeUrl.value).toBe(elsewhere)
    expect(stream.error.value?.type).toBe('cors')
    expect(stream.done.value).toBe(false)
    // the break of the POST, then one cors error per resume, resume.retries (5) of them
    expect(errors.map(error => error.type)).toEqual(['network', 'cors', 'cors', 'cors', 'cors', 'cors'])
    // what the POST delivered, once each; nothing came through the refused resumes
    expect(seen.length).toBeGreaterThanOrEqual(1)
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1))
    const requests = (await log()).slice(before)
    expect(requests.filter(request => request.method === 'POST')).toHaveLength(1)
    expect(requests.filter(request => request.method === 'GET')).toHaveLength(0)
    // at the other origin: each resume, or its no-cors probe, reached the server; no more after CLOSED
    const count = (await stats(key)).requests.length
    await new Promise(resolve => setTimeout(resolve, 500))
    const reached = (await stats(key)).requests
    expect(reached).toHaveLength(count)
    // each of the 5 resumes was told from a server that is down by one no-cors HEAD; those that sent
    // Last-Event-ID stopped at their preflight, and the one sent without it (to see whether the header was
    // the cause) reached the server as a GET, whose answer the browser discarded
    expect(reached.filter(request => request.method === 'HEAD')).toHaveLength(5)
    expect(reached.filter(request => request.method === 'GET')).toHaveLength(1)
    expect(reached).toHaveLength(6)
    scope.stop()
  })
})
