// Tests here hold promises of docs/guide/resumable-runs.md (listed in tests/fixtures/promises/).
/**
 * Resumable runs in Chromium, cross-origin (the run server is another 127.0.0.1 port, with CORS that
 * exposes `Location` and allows `Last-Event-ID`): the POST's connection is dropped by the server mid-run,
 * and the rest is read by GET. The same in Node against resumable-stream, the AI SDK and TanStack AI:
 * tests/runs.test.ts.
 */
import { describe, expect, inject, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useEventSource } from '../../src/index'

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
})
