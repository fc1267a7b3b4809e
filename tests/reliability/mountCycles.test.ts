import { describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import { useEventSource } from '../../src/useEventSource'
import { saveFigures } from '../support/figures'
import { sleep, uniqueKey, useTestServer } from '../support/helpers'
import { print } from '../support/print'
import { activeResources, countingSignals, liveHeap, MiB } from './resources'

const server = useTestServer()
const CYCLES = 1000
const WARM_UP = 500

describe('resource bounds: mounting and unmounting', () => {
  // Promised in README.md and docs/guide/getting-started.md (tests/fixtures/promises/).
  // docs/index.md, the home page, quotes promises held here too (tests/fixtures/promises/home.ts).
  it(`${CYCLES} mount/unmount cycles of useEventSource leave no open connection, socket, timer or listener, and no heap growth`, async () => {
    const key = uniqueKey()
    const signals = countingSignals()
    // One event, then the server holds the stream open: each cycle ends a live connection.
    const url = server.current.route('events', { key, count: 1, hold: true })
    let mostOpen = 0
    let requests = 0
    const cycle = async (): Promise<void> => {
      const scope = effectScope()
      await new Promise<void>((resolve) => {
        scope.run(() => {
          const { on } = useEventSource(url, { signals, heartbeatTimeout: 30_000, token: async () => 'token', onMessage: () => resolve() })
          on('message', () => {})
        })
      })
      const stats = server.current.stats(key)
      mostOpen = Math.max(mostOpen, stats.open)
      scope.stop()
      // The server runs in this process and keeps every request it saw: count them, then let them go,
      // so that the heap figure is the client's.
      requests += stats.requests.length
      stats.requests.length = 0
    }
    for (let i = 0; i < WARM_UP; i++)
      await cycle()
    await server.current.waitForOpen(key, 0)
    const before = { resources: activeResources(), heap: liveHeap() }

    const started = performance.now()
    for (let i = 0; i < CYCLES; i++)
      await cycle()
    const seconds = (performance.now() - started) / 1000
    await server.current.waitForOpen(key, 0)
    await sleep(20)
    const after = { resources: activeResources(), heap: liveHeap() }

    // What one instance that is never disposed of costs, to tell a leak from noise.
    const kept: unknown[] = []
    const beforeKept = liveHeap()
    for (let i = 0; i < 200; i++)
      kept.push(effectScope().run(() => useEventSource(url, { signals: countingSignals(), immediate: false, onMessage: () => {} })))
    const instanceBytes = Math.round((liveHeap() - beforeKept) / kept.length)

    const growth = {
      timers: (after.resources.Timeout ?? 0) - (before.resources.Timeout ?? 0),
      sockets: (after.resources.TCPSocketWrap ?? 0) - (before.resources.TCPSocketWrap ?? 0),
      listeners: signals.listeners,
      heapMiB: Math.round((after.heap - before.heap) / MiB * 100) / 100,
      heapBytesPerCycle: Math.round((after.heap - before.heap) / CYCLES),
    }
    saveFigures('mount-cycles', { cycles: CYCLES, warmUp: WARM_UP, seconds, mostOpenAtOnce: mostOpen, growth, instanceBytes, before: before.resources, after: after.resources })
    print(`mount cycles: ${CYCLES} in ${seconds.toFixed(1)} s; at most ${mostOpen} connection(s) open at once; growth: ${JSON.stringify(growth)}; one undisposed instance: ${instanceBytes} bytes`)
    expect(requests).toBe(WARM_UP + CYCLES)
    expect(server.current.stats(key).clientClosed).toBe(WARM_UP + CYCLES)
    expect(signals.subscriptions).toBe(WARM_UP + CYCLES)
    expect(growth.listeners).toBe(0)
    expect(growth.timers).toBeLessThanOrEqual(0)
    expect(growth.sockets).toBeLessThanOrEqual(0)
    expect(mostOpen).toBeLessThanOrEqual(2)
    // Far less than one undisposed instance per cycle (the growth that remains is warm-up, and levels off).
    expect(growth.heapBytesPerCycle).toBeLessThan(instanceBytes / 3)
  }, 60_000)
})
