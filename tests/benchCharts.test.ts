import type { Sample } from '../bench/plan'
import { describe, expect, it } from 'vitest'
import { barChart } from '../bench/chart'
import { chartFile, renderCharts } from '../bench/charts'
import { clients } from '../bench/clients/index'
import { Results } from '../bench/results'
import { SIZE_BUDGETS } from '../bench/size'
import { generate } from '../bench/workloads'

// The charts are what readers of the results look at first: each must draw the figures of its table,
// with nothing lost (a client that failed or sat out says so) and nothing made up.

/** The bars' tooltips, "label: median (min–max)", in the order drawn. */
const tooltips = (svg: string): string[] => Array.from(svg.matchAll(/<rect [^>]*><title>([^<]*)<\/title><\/rect>/g), m => m[1]!)

/** A smoke plan's results, filled with known times: client i takes (i + 2) × the raw read, ±1 ms. */
function syntheticRun(): Results {
  const { plan } = generate({ smoke: true, rounds: 3, phases: ['timed', 'scaling', 'memory', 'burst'], clients: [], workloads: [] })
  const results = new Results(plan, () => {})
  const timed = (env: 'chromium' | 'node', phase: Sample['phase'], workload: string, client: string, round: number, ms: number): void =>
    results.add({ kind: 'sample', sample: { env, phase, workload, client, round, ms, reads: 1 } })
  for (let round = 0; round < 3; round++) {
    for (const w of plan.workloads) {
      timed('chromium', 'timed', w.id, 'raw', round, 10)
      clients.filter(c => c.id !== 'raw' && c.runsIn.includes('chromium')).forEach((c, i) => {
        // the browser's EventSource sits the last workload out
        if (c.id !== 'native' || w !== plan.workloads.at(-1))
          timed('chromium', 'timed', w.id, c.id, round, 10 * (i + 2) + round - 1)
      })
    }
    for (const w of plan.scaling) {
      timed('chromium', 'scaling', w.id, 'raw', round, 1)
      timed('chromium', 'scaling', w.id, 'vue-refs', round, 2 * w.bytes / 1024 ** 2)
    }
    results.add({ kind: 'memory', sample: { env: 'chromium', client: 'vue-refs', round, peak: plan.memory.bytes * (1.1 + round / 100), samples: 10 } })
    for (const mode of ['sync', 'microtask', 'frame'] as const)
      results.add({ kind: 'burst', sample: { env: 'chromium', mode, round, ms: 1000, handled: 5000, lost: 0, checksumOk: true, refUpdates: mode === 'sync' ? 5000 : 60, renders: 60, refsCaughtUp: true } })
  }
  results.add({ kind: 'failure', failure: { env: 'chromium', workload: plan.workloads[0]!.id, client: 'core', round: 2, message: 'synthetic' } })
  return results
}

describe('bench charts', () => {
  const results = syntheticRun()
  const sizes = [
    { name: Object.keys(SIZE_BUDGETS)[0]!, minified: 20_000, gzip: 8000, esbuildGzip: 8200 },
    { name: 'other <lib> & "co"', minified: 3000, gzip: 1024, esbuildGzip: 2048 },
  ]
  const charts = new Map(renderCharts(results, sizes).map(c => [c.file, c.svg]))

  it('draws every table of the environments that ran it, and the size table', () => {
    expect([...charts.keys()]).toEqual([
      ...(['timed', 'times', 'raw', 'scaling', 'memory', 'bursts'] as const).map(kind => chartFile('chromium', kind)),
      // Node ran nothing here: none of its charts
      chartFile('size'),
    ])
    for (const svg of charts.values())
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*>[\s\S]*<\/svg>\n$/)
  })

  it('timed: each client its median ratio and min–max; one that failed or sat out says so instead of a bar', () => {
    const svg = charts.get(chartFile('chromium'))!
    const shown = clients.filter(c => c.id !== 'raw' && c.runsIn.includes('chromium'))
    const second = results.plan.workloads[1]!.title
    expect(svg).toContain(second.replace(/`/g, ''))
    const bars = tooltips(svg)
    // core failed on the first workload, native sat out the last: a bar fewer on each
    expect(bars).toHaveLength(results.plan.workloads.length * shown.length - 2)
    expect(svg).toContain('✗ failed 1×')
    expect(svg).toContain('— sits this workload out')
    const vue = shown.findIndex(c => c.id === 'vue-refs')
    expect(bars).toContain(`${shown[vue]!.label.replace(/`/g, '')}: ${(vue + 2).toFixed(2)}× (${(vue + 2 - 0.1).toFixed(2)}×–${(vue + 2 + 0.1).toFixed(2)}×)`)
  })

  it('scaling, memory and bursts draw their own units', () => {
    expect(tooltips(charts.get(chartFile('chromium', 'scaling'))!)).toContain('ours: useEventSource (refs): 2.00')
    expect(tooltips(charts.get(chartFile('chromium', 'memory'))!)).toContain('ours: useEventSource (refs): 1.11 (1.10–1.12)')
    expect(charts.get(chartFile('chromium', 'memory'))!).toContain('target: ≤ 1.2 copies')
    const bursts = tooltips(charts.get(chartFile('chromium', 'bursts'))!)
    expect(bursts).toContain('flush: \'sync\': 5.00k')
    expect(bursts.filter(t => t.endsWith(': 60.0'))).toHaveLength(2 + 3)
  })

  it('size: both bundlers, budgets and targets as marks, labels escaped', () => {
    const svg = charts.get(chartFile('size'))!
    expect(tooltips(svg)).toEqual([
      'ours: useEventSource with its core: 7.81 KiB',
      'other &lt;lib&gt; &amp; &quot;co&quot;: 1.00 KiB',
      'ours: useEventSource with its core: 8.01 KiB',
      'other &lt;lib&gt; &amp; &quot;co&quot;: 2.00 KiB',
    ])
    expect(svg).toContain('budget, useEventSource: 11.3 KiB')
    expect(svg).toContain('issue 17\'s target, createEventSource: 3.50 KiB')
  })

  it('an axis covers every value: log from the tick below the least, linear from 0', () => {
    const bar = (median: number): { label: string, ours: boolean, colour: string, value: { median: number, min: number, max: number, n: number } } =>
      ({ label: String(median), ours: false, colour: '#000', value: { median, min: median, max: median, n: 1 } })
    const ticks = (svg: string): string[] => Array.from(svg.matchAll(/<text [^>]*text-anchor="middle" font-size="11" fill="#555">([^<]*)<\/text>/g), m => m[1]!)
    const log = barChart({ title: 't', caption: 'c', axis: 'a', scale: 'log', format: String, groups: [{ title: 'g', bars: [bar(0.3), bar(70)] }] })
    const logTicks = ticks(log).slice(0, ticks(log).length / 2)
    expect(logTicks[0]).toBe('0.2')
    expect(logTicks.at(-1)).toBe('100')
    const linear = barChart({ title: 't', caption: 'c', axis: 'a', scale: 'linear', format: String, groups: [{ title: 'g', bars: [bar(3.3)] }] })
    expect(ticks(linear).slice(0, ticks(linear).length / 2)).toEqual(['0', '0.5', '1', '1.5', '2', '2.5', '3', '3.5'])
  })
})
