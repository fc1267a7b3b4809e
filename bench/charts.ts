import type { ChartBar, ChartSpec } from './chart'
import type { BenchClient } from './clients/types'
import type { EnvName, Sample } from './plan'
import type { Results } from './results'
import type { SizeRow } from './size'
import type { Spread } from './stats'
import { FLUSH_MODES } from './burst'
import { barChart } from './chart'
import { clients, memoryClients, oneEventClients } from './clients/index'
import { failures, times } from './measures'
import { ENV_TITLE } from './plan'
import { ratios } from './ratios'
import { SIZE_BUDGETS, SIZE_TARGETS } from './size'
import { num, spread } from './stats'

// Every table of bench/RESULTS.md drawn as a chart, one SVG each, written beside it by a full run.

const OURS = ['#1a4f8f', '#2b7bd0', '#7aaee6', '#0d7c76', '#52bdb0', '#3f51b5']
const OTHERS = ['#c62828', '#ef6c00', '#8d5a3b', '#2e7d32', '#9ccc65', '#827717', '#7b1fa2', '#d81b60', '#757575', '#f9a825', '#4e342e']

/** The charts of one environment, after the tables they draw; the size table has one of its own. */
export type ChartKind = 'timed' | 'times' | 'raw' | 'scaling' | 'memory' | 'bursts'

/** Where a full run writes a chart: beside RESULTS.md, in bench/ (the timed chart keeps its first name). */
export function chartFile(env: EnvName | 'size', kind: ChartKind = 'timed'): string {
  return env === 'size' ? 'results-size.svg' : kind === 'timed' ? `results-${env}.svg` : `results-${env}-${kind}.svg`
}

/**
 * Ours in blues and teals, the others in distinct warm, green, purple and grey hues, in table order over
 * every client, so a client has the same colour in every chart.
 */
function colours(list: readonly BenchClient[]): Map<string, string> {
  let ours = 0
  let others = 0
  return new Map(list.map(c => [c.id, c.ours === true ? OURS[ours++ % OURS.length]! : OTHERS[others++ % OTHERS.length]!]))
}
const COLOUR = colours(clients)
const legendOf = (list: readonly BenchClient[]): ChartSpec['legend'] => list.map(c => ({ label: c.label, colour: COLOUR.get(c.id)!, ours: c.ours === true }))
const rounds = (results: Results): string => `${results.plan.rounds} round${results.plan.rounds === 1 ? '' : 's'}`

/** A client's bar: its values' median and min–max, or why it has none. */
function clientBar(results: Results, env: EnvName, workload: string, client: BenchClient, values: readonly number[]): ChartBar {
  const failed = failures(results, env, workload, client.id)
  const value: Spread | null = failed > 0 ? null : spread(values)
  return {
    label: client.label,
    ours: client.ours === true,
    colour: COLOUR.get(client.id)!,
    value,
    failed: failed > 0,
    missing: failed > 0 ? `✗ failed ${failed}×` : '— sits this workload out',
  }
}

/** "Time as a ratio to the raw read": a group per timed workload, a bar per client, log scale. */
function timedChart(results: Results, env: EnvName): ChartSpec {
  const r = ratios(results.samples, env, 'timed')
  const shown = clients.filter(c => c.id !== 'raw' && c.runsIn.includes(env))
  return {
    title: `${ENV_TITLE[env]}: time as a ratio to the raw fetch read`,
    caption: `Bar: the median of ${rounds(results)}; line: min–max. Shorter is faster; 1× is the raw read itself. Shaded rows: this library's clients (bold).`,
    axis: 'time ÷ the raw fetch read in the same round (log scale)',
    scale: 'log',
    format: v => `${num(v)}×`,
    tick: v => `${v}×`,
    groups: results.plan.workloads.map(w => ({ title: w.title, bars: shown.map(c => clientBar(results, env, w.id, c, r.get(w.id)?.get(c.id) ?? [])) })),
    legend: legendOf(shown),
  }
}

/** "Median times, ms": the same runs in milliseconds, the raw read among them. */
function timesChart(results: Results, env: EnvName): ChartSpec {
  const shown = clients.filter(c => c.runsIn.includes(env))
  return {
    title: `${ENV_TITLE[env]}: time to deliver every event, ms`,
    caption: `Bar: the median of ${rounds(results)}; line: min–max. Shorter is faster. The raw fetch read is the limit no client can beat.`,
    axis: 'milliseconds (log scale)',
    scale: 'log',
    format: v => `${num(v)} ms`,
    groups: results.plan.workloads.map(w => ({ title: w.title, bars: shown.map(c => clientBar(results, env, w.id, c, times(results.samples, env, 'timed', w.id, c.id))) })),
    legend: legendOf(shown),
  }
}

/** "The raw read (the limit)": how fast this machine reads each workload's bytes with fetch alone. */
function rawChart(results: Results, env: EnvName): ChartSpec {
  const raw = clients.find(c => c.id === 'raw')!
  return {
    title: `${ENV_TITLE[env]}: the raw fetch read, MiB/s`,
    caption: `Bar: the median of ${rounds(results)}; line: min–max. Longer is faster: the limit every client is measured against.`,
    axis: 'MiB read per second',
    scale: 'linear',
    format: v => num(v),
    groups: [{
      title: 'fetch, read to the end and decoded',
      bars: results.plan.workloads.map(w => ({
        ...clientBar(results, env, w.id, raw, times(results.samples, env, 'timed', w.id, 'raw').map(ms => w.bytes / 1024 ** 2 / (ms / 1000))),
        label: w.title,
        ours: false,
      })),
    }],
  }
}

/** "One event of growing size": ms per MiB per size; flat bars across the sizes are linear time. */
function scalingChart(results: Results, env: EnvName): ChartSpec {
  const shown = oneEventClients.filter(c => c.runsIn.includes(env))
  return {
    title: `${ENV_TITLE[env]}: one event of growing size, ms per MiB`,
    caption: `Bar: the median of ${rounds(results)}; line: min–max. Linear time keeps a client's bar the same length at every size.`,
    axis: 'milliseconds per MiB of the event (log scale)',
    scale: 'log',
    format: v => num(v),
    groups: results.plan.scaling.map(w => ({
      title: `one event of ${(w.bytes / 1024 ** 2).toFixed(1)} MiB`,
      bars: shown.map(c => clientBar(results, env, w.id, c, times(results.samples, env, 'scaling', w.id, c.id).map(ms => ms / (w.bytes / 1024 ** 2)))),
    })),
    legend: legendOf(shown),
  }
}

/** "Live memory while reading the big event": copies of the event each client holds at its peak. */
function memoryChart(results: Results, env: EnvName): ChartSpec {
  const { bytes } = results.plan.memory
  return {
    title: `${ENV_TITLE[env]}: live memory while reading the ${(bytes / 1024 ** 2).toFixed(1)} MiB event`,
    caption: `Bar: the peak live heap above the baseline, in copies of the event (median of ${rounds(results)}; line: min–max). Shorter holds less.`,
    axis: 'copies of the event held at the peak',
    scale: 'linear',
    format: v => v.toFixed(2),
    groups: [{
      title: `one ${(bytes / 1024 ** 2).toFixed(1)} MiB event`,
      bars: memoryClients.filter(c => c.runsIn.includes(env)).map(c => ({
        ...clientBar(results, env, results.plan.memory.id, c, results.memory.filter(m => m.env === env && m.client === c.id).map(m => m.peak / bytes)),
        missing: '— not measured',
      })),
    }],
    marks: [{ value: 1.2, label: 'target: ≤ 1.2 copies' }],
  }
}

/** "Bursts into Vue": per flush mode, events handled, `data` changes and renders per second. */
function burstChart(results: Results, env: EnvName): ChartSpec {
  const runs = (mode: string): typeof results.bursts => results.bursts.filter(b => b.env === env && b.mode === mode)
  const metric = (title: string, pick: (b: typeof results.bursts[number]) => number): ChartSpec['groups'][number] => ({
    title,
    bars: FLUSH_MODES.map((mode, i) => ({
      label: `flush: '${mode}'`,
      ours: true,
      colour: OURS[i]!,
      value: spread(runs(mode).map(b => pick(b) / (b.ms / 1000))),
      missing: '— not run',
    })),
  })
  return {
    title: `${ENV_TITLE[env]}: bursts into Vue, ${results.plan.burst.title}`,
    caption: `Bar: the median of ${rounds(results)}; line: min–max. A component renders \`data\`; on() handles every event in every mode.`,
    axis: 'per second (log scale)',
    scale: 'log',
    format: v => (v >= 1000 ? `${num(v / 1000)}k` : num(v)),
    groups: [
      metric('events handled by on()', b => b.handled),
      metric('`data` changes (a sync watcher\'s runs)', b => b.refUpdates),
      metric('renders', b => b.renders),
    ],
  }
}

/** A budgeted bundle's short name: its first code span (`useEventSource`, `createEventSource`). */
const SHORT_NAME = /`([^`]+)`/

/** "Size": each bundle's min+gzip bytes with Vite and with esbuild, and our budgets. */
function sizeChart(sizes: readonly SizeRow[]): ChartSpec {
  const bar = (row: SizeRow, bytes: number, i: number): ChartBar => {
    const ours = row.name.startsWith('ours:')
    return { label: row.name, ours, colour: ours ? OURS[1]! : OTHERS[(i + 8) % OTHERS.length]!, value: { median: bytes / 1024, min: bytes / 1024, max: bytes / 1024, n: 1 } }
  }
  return {
    title: 'Size: min+gzip, production build, vue left out',
    caption: 'Bar: the bundle of one export, minified and gzipped at level 9. Shorter is lighter. Dashed lines: the budgets `npm test` holds ours to, and issue 17\'s targets.',
    axis: 'KiB, min+gzip',
    scale: 'linear',
    format: v => `${num(v)} KiB`,
    groups: [
      { title: 'built by Vite (Rolldown, Oxc minifier)', bars: sizes.map((row, i) => bar(row, row.gzip, i)) },
      { title: 'built by esbuild (NODE_ENV=production)', bars: sizes.map((row, i) => bar(row, row.esbuildGzip, i)) },
    ],
    marks: [
      ...Object.entries(SIZE_BUDGETS).map(([name, bytes]) => ({ value: bytes / 1024, label: `budget, ${SHORT_NAME.exec(name)?.[1] ?? name}: ${num(bytes / 1024)} KiB` })),
      ...Object.entries(SIZE_TARGETS).map(([name, bytes]) => ({ value: bytes / 1024, label: `issue 17's target, ${SHORT_NAME.exec(name)?.[1] ?? name}: ${num(bytes / 1024)} KiB`, colour: '#2e7d32' })),
    ],
  }
}

const SPECS: Record<ChartKind, (results: Results, env: EnvName) => ChartSpec> = {
  timed: timedChart,
  times: timesChart,
  raw: rawChart,
  scaling: scalingChart,
  memory: memoryChart,
  bursts: burstChart,
}

/** The charts an environment has: those of the tables it has figures for. */
export function chartKinds(results: Results, env: EnvName): ChartKind[] {
  const ran = (phase: Sample['phase']): boolean => results.samples.some(s => s.env === env && s.phase === phase)
  return [
    ...(ran('timed') ? ['timed', 'times', 'raw'] as const : []),
    ...(ran('scaling') ? ['scaling'] as const : []),
    ...(results.memory.some(m => m.env === env) ? ['memory'] as const : []),
    ...(results.bursts.some(b => b.env === env) ? ['bursts'] as const : []),
  ]
}

/** Every chart of a run, with the file it goes to; an environment's charts only for what it ran. */
export function renderCharts(results: Results, sizes: readonly SizeRow[]): { file: string, svg: string }[] {
  const out = (['chromium', 'node'] as const).flatMap(env => chartKinds(results, env).map(kind => ({ file: chartFile(env, kind), svg: barChart(SPECS[kind](results, env)) })))
  if (sizes.length > 0)
    out.push({ file: chartFile('size'), svg: barChart(sizeChart(sizes)) })
  return out
}
