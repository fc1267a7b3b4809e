import type { EventSourceOptions } from '../../src/core/types'
import process from 'node:process'
import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_MAX_EVENT_SIZE } from '../../src/core/options'
import { CLOSED } from '../../src/core/types'
import { saveFigures } from '../support/figures'
import { connect, uniqueKey, useTestServer } from '../support/helpers'
import { print } from '../support/print'
import { liveHeap, MiB } from './resources'

// docs/spec.md: `maxEventSize` bounds memory.
const server = useTestServer()

/** Reads `/big` (one line of `size` bytes) until the client fails it or closes; returns the peak heap growth. */
async function peakHeapGrowth(size: number, options: EventSourceOptions, end = false): Promise<{ growth: number, errors: string[], limit: number | undefined, requests: number, clientClosed: number }> {
  const key = uniqueKey()
  const start = liveHeap()
  let peak = start
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().heapUsed)
  }
  const sampler = setInterval(sample, 1)
  const { client, errors } = connect(server.current.route('big', { key, size, end }), { ...options, onError: sample, onMessage: sample })
  try {
    await vi.waitFor(() => expect(errors.length > 0 || client.state.readyState === CLOSED).toBe(true), { timeout: 30_000 })
  }
  finally {
    clearInterval(sampler)
    client.close()
  }
  await server.current.waitForOpen(key, 0)
  const { requests, clientClosed } = server.current.stats(key)
  return { growth: peak - start, errors: errors.map(e => e.type), limit: errors[0]?.limit, requests: requests.length, clientClosed }
}

describe('resource bounds: a line larger than maxEventSize', () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a 64 MiB line with the default maxEventSize (4 MiB) fails with event-too-large and reconnects, and the heap never holds more than a few times the limit', async () => {
    const bounded = await peakHeapGrowth(64 * MiB, { reconnect: { delay: 50, jitter: 0 } })
    // Calibration: with no limit, the same probe sees a 16 MiB line (which the server then ends) pile up in memory.
    const unbounded = await peakHeapGrowth(16 * MiB, { maxEventSize: Infinity, reconnect: false }, true)
    const figures = {
      line: '64 MiB',
      maxEventSize: DEFAULT_MAX_EVENT_SIZE,
      peakHeapGrowthMiB: Math.round(bounded.growth / MiB * 10) / 10,
      unboundedCalibration: { line: '16 MiB', peakHeapGrowthMiB: Math.round(unbounded.growth / MiB * 10) / 10 },
    }
    saveFigures('event-size', figures)
    print(`maxEventSize: ${JSON.stringify(figures)}`)
    expect(bounded.errors[0]).toBe('event-too-large')
    expect(bounded.limit).toBe(DEFAULT_MAX_EVENT_SIZE)
    // It hung up on the first response long before its end, and reconnected.
    expect(bounded.clientClosed).toBeGreaterThanOrEqual(1)
    expect(bounded.requests).toBeGreaterThanOrEqual(1)
    expect(bounded.growth).toBeLessThan(24 * MiB)
    expect(unbounded.growth).toBeGreaterThan(12 * MiB)
  }, 60_000)
})
