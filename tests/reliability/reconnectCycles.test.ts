import { describe, expect, it } from 'vitest'
import { createEventSource } from '../../src/core/client'
import { saveFigures } from '../support/figures'
import { uniqueKey, useTestServer } from '../support/helpers'
import { print } from '../support/print'
import { activeResources, countingSignals, liveHeap } from './resources'

const server = useTestServer()
const RECONNECTS = 1000
const WARM_UP = 500
const SAMPLE_EVERY = 100

/** The least-squares slope of ys over xs: growth per unit, robust to one noisy reading. */
function slope(xs: number[], ys: number[]): number {
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length
  const mx = mean(xs)
  const my = mean(ys)
  return xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0) / xs.reduce((sum, x) => sum + (x - mx) ** 2, 0)
}

interface Sample { reconnects: number, timers: number, sockets: number, serverOpen: number, listeners: number }

describe('resource bounds: reconnecting', () => {
  it(`${RECONNECTS} reconnects leave no growth in open connections, sockets, timers, listeners or heap`, async () => {
    const key = uniqueKey()
    const signals = countingSignals()
    const total = WARM_UP + RECONNECTS + 1
    // Each response carries the next event and ends: every event costs one reconnection.
    const url = server.current.route('events', { key, count: total, per: 1 })
    const samples: Sample[] = []
    const heap: number[] = []
    let requests = 0
    const client = createEventSource(url, { signals, reconnect: { delay: 0, jitter: 0 }, heartbeatTimeout: 30_000, token: async () => 'token' })
    const done = new Promise<void>((resolve) => {
      client.on('message', ({ lastEventId }) => {
        const n = Number(lastEventId)
        const stats = server.current.stats(key)
        // The server runs in this process and keeps every request it saw: count them, then let them go.
        requests += stats.requests.length
        stats.requests.length = 0
        if (n > WARM_UP && (n - WARM_UP - 1) % SAMPLE_EVERY === 0) {
          const resources = activeResources()
          samples.push({ reconnects: n - WARM_UP - 1, timers: resources.Timeout ?? 0, sockets: resources.TCPSocketWrap ?? 0, serverOpen: stats.open, listeners: signals.listeners })
          heap.push(liveHeap())
        }
        if (n === total)
          resolve()
      })
    })
    const started = performance.now()
    client.open()
    await done
    const seconds = (performance.now() - started) / 1000
    client.close()
    await server.current.waitForOpen(key, 0)

    const most = (pick: (s: Sample) => number): number => Math.max(...samples.map(pick))
    // The counts are process-wide (fetch, the test server and the runner share the process), and a sample
    // reads 1 or 2 timers by chance, the same client at the same point of a connection. A leak adds up:
    // the highest count over the last 500 reconnections must be no higher than over the first 500.
    const early = (pick: (s: Sample) => number): number => Math.max(...samples.slice(0, 6).map(pick))
    const late = (pick: (s: Sample) => number): number => Math.max(...samples.slice(6).map(pick))
    const figures = {
      reconnects: RECONNECTS,
      seconds,
      timers: { early: early(s => s.timers), late: late(s => s.timers), each: samples.map(s => s.timers) },
      sockets: { early: early(s => s.sockets), late: late(s => s.sockets), each: samples.map(s => s.sockets) },
      serverOpen: { most: most(s => s.serverOpen) },
      listeners: { most: most(s => s.listeners), afterClose: signals.listeners },
      heapBytesPerReconnect: Math.round(slope(samples.map(s => s.reconnects), heap)),
      heapEndToEndBytesPerReconnect: Math.round((heap.at(-1)! - heap[0]!) / RECONNECTS),
    }
    saveFigures('reconnect-cycles', { ...figures, samples })
    print(`reconnects: ${RECONNECTS + WARM_UP} in ${seconds.toFixed(1)} s; ${JSON.stringify(figures)}`)
    expect(requests).toBe(total)
    expect(samples).toHaveLength(RECONNECTS / SAMPLE_EVERY + 1)
    // Sampled at the same point of every connection: no growth from the first 500 reconnections to the
    // last 500 (a leak of one per hundred would add five). This compared every sample with the first one
    // until a clean-clone CI run read 1 timer there and 2 at a later sample; a local run read 2, 2, 2, 2,
    // 1, 2, 2, 2, 1, 2, 2.
    expect(figures.timers.late).toBeLessThanOrEqual(figures.timers.early)
    expect(figures.sockets.late).toBeLessThanOrEqual(figures.sockets.early)
    expect(figures.serverOpen.most).toBe(1)
    expect(figures.listeners.most).toBe(1)
    expect(figures.listeners.afterClose).toBe(0)
    // The live heap, read every 100 reconnections, wanders by some hundred bytes per reconnection (warm-up and
    // in-flight buffers; there is no trend over 5,000). One core client kept alive costs about 2.5 KB, and an
    // attempt (request, response, parser, closures) more, so a leak of either per reconnection shows above 2 KiB.
    expect(figures.heapBytesPerReconnect).toBeLessThan(2048)
  }, 60_000)
})
