import type { ChartKind } from './charts'
import type { BenchClient } from './clients/types'
import type { Machine } from './machine'
import type { EnvName, Sample, WorkloadInfo } from './plan'
import type { Results } from './results'
import type { SizeRow } from './size'
import type { Spread } from './stats'
import { FLUSH_MODES } from './burst'
import { chartFile, chartKinds } from './charts'
import { clients, memoryClients, oneEventClients } from './clients/index'
import { failures, perMiB, times } from './measures'
import { METHOD } from './method'
import { ENV_TITLE } from './plan'
import { ratios } from './ratios'
import { SIZE_BUDGETS, SIZE_TARGETS } from './size'
import { num, spread } from './stats'

/** The workloads the issue's speed targets name: small events, tokens, 256 KiB events, 8-line events. */
const TARGETED = ['ticks', 'tokens', 'large', 'multiline']

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

const ratio = (s: Spread | null): string => (s === null ? '—' : `${num(s.median)}× (${num(s.min)}–${num(s.max)})`)
const ms = (s: Spread | null): string => (s === null ? '—' : `${num(s.median)} ms (${num(s.min)}–${num(s.max)})`)
const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MiB`

function failedCell(results: Results, env: EnvName, workload: string, client: string): string | null {
  const failed = failures(results, env, workload, client)
  return failed === 0 ? null : `✗ failed ${failed}×`
}

function ratioTable(results: Results, env: EnvName, phase: Sample['phase'], workloads: readonly WorkloadInfo[], list: readonly BenchClient[]): string {
  const r = ratios(results.samples, env, phase)
  const shown = list.filter(c => c.id !== 'raw' && c.runsIn.includes(env))
  return table(['workload', ...shown.map(c => c.label)], workloads.map(w => [
    w.title,
    ...shown.map(c => failedCell(results, env, w.id, c.id) ?? ratio(spread(r.get(w.id)?.get(c.id) ?? []))),
  ]))
}

function rawTable(results: Results, env: EnvName, workloads: readonly WorkloadInfo[]): string {
  return table(['workload', 'bytes', 'raw read', 'MiB/s (median)', 'reads (avg size)'], workloads.map((w) => {
    const raw = results.samples.filter(s => s.env === env && s.phase === 'timed' && s.workload === w.id && s.client === 'raw')
    const t = spread(raw.map(s => s.ms))
    const reads = spread(raw.map(s => s.reads))
    return [w.title, mib(w.bytes), ms(t), t === null ? '—' : (w.bytes / 1024 ** 2 / (t.median / 1000)).toFixed(0), reads === null ? '—' : `${reads.median.toFixed(0)} (${(w.bytes / reads.median / 1024).toFixed(1)} KiB)`]
  }))
}

function absoluteTable(results: Results, env: EnvName, workloads: readonly WorkloadInfo[]): string {
  const shown = clients.filter(c => c.runsIn.includes(env))
  return table(['workload', ...shown.map(c => c.label)], workloads.map(w => [
    w.title,
    ...shown.map((c) => {
      const t = spread(times(results.samples, env, 'timed', w.id, c.id))
      return t === null ? '—' : num(t.median)
    }),
  ]))
}

function scalingTable(results: Results, env: EnvName): string {
  const r = ratios(results.samples, env, 'scaling')
  const shown = oneEventClients.filter(c => c.runsIn.includes(env))
  return table(['one event of', ...shown.map(c => c.label)], results.plan.scaling.map(w => [
    mib(w.bytes),
    ...shown.map((c) => {
      const failed = failedCell(results, env, w.id, c.id)
      const ms = perMiB(results, env, w, c.id)
      const median = spread(r.get(w.id)?.get(c.id) ?? [])?.median
      return failed ?? (Number.isNaN(ms) ? '—' : `${num(ms)} ms/MiB${median === undefined ? '' : ` (${num(median)}×)`}`)
    }),
  ]))
}

function memoryTable(results: Results, env: EnvName): string {
  const size = results.plan.memory.bytes
  return table(['client', 'peak live heap above baseline', 'copies of the event (median)'], memoryClients.filter(c => c.runsIn.includes(env)).map((c) => {
    const peaks = spread(results.memory.filter(m => m.env === env && m.client === c.id).map(m => m.peak))
    return [c.label, peaks === null ? '—' : `${mib(peaks.median)} (${mib(peaks.min)}–${mib(peaks.max)})`, peaks === null ? '—' : (peaks.median / size).toFixed(2)]
  }))
}

function burstTable(results: Results, env: EnvName): string {
  const { burst } = results.plan
  if (!results.bursts.some(b => b.env === env))
    return '(not run)'
  return table(['`flush`', 'handled by `on()`', 'handler loss', 'checksum (data + id, in order)', 'events/s', '`data` changes/s (sync watcher runs)', 'renders/s', 'refs end on the last event'], FLUSH_MODES.map((mode) => {
    const runs = results.bursts.filter(b => b.env === env && b.mode === mode)
    const perSecond = (pick: (b: typeof runs[number]) => number): string => {
      const s = spread(runs.map(b => pick(b) / (b.ms / 1000)))
      return s === null ? '—' : `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`
    }
    return [
      `'${mode}'`,
      `${Math.min(...runs.map(b => b.handled)).toLocaleString('en-US')} of ${burst.count.toLocaleString('en-US')} (worst round)`,
      String(Math.max(...runs.map(b => b.lost))),
      runs.every(b => b.checksumOk) ? 'matches in every round' : '✗ differs',
      perSecond(b => b.handled),
      perSecond(b => b.refUpdates),
      perSecond(b => b.renders),
      runs.every(b => b.refsCaughtUp) ? 'yes, every round' : '✗ no',
    ]
  }))
}

/** Short names of the timed workloads, for the targets' measured column. */
const SHORT: Record<string, string> = { 'ticks': 'ticks', 'tokens': 'tokens', 'large': 'large', 'one-event': 'one event', 'multiline': '8-line' }

/**
 * The issue's targets, checked in Chromium on the medians of per-round ratios: `useEventSource` (refs)
 * against eventsource-parser over the same fetch loop and against the browser's `EventSource`, and the
 * one big event's time and memory.
 */
function targets(results: Results): string {
  const byParser = ratios(results.samples, 'chromium', 'timed', 'eventsource-parser')
  const byOurs = ratios(results.samples, 'chromium', 'timed', 'vue-refs')
  const byRaw = ratios(results.samples, 'chromium', 'timed')
  const median = (byClient: Map<string, Map<string, number[]>>, workload: string, client: string): number =>
    spread(byClient.get(workload)?.get(client) ?? [])?.median ?? Number.NaN
  const met = (values: readonly number[], ok: (value: number) => boolean): string =>
    values.length === 0 || values.some(Number.isNaN) ? 'not measured' : values.every(ok) ? 'met' : '**not met**'
  const factor = (value: number): string => (Number.isNaN(value) ? '—' : `${num(value)}×`)
  /** Each workload's median, named: "ticks 1.10×, tokens 1.21×, …". */
  const named = (ids: readonly string[], values: readonly number[]): string => ids.map((id, i) => `${SHORT[id] ?? id} ${factor(values[i]!)}`).join(', ')

  const vsParser = TARGETED.map(id => median(byParser, id, 'vue-refs'))
  const geomean = Math.exp(vsParser.reduce((sum, v) => sum + Math.log(v), 0) / vsParser.length)
  // the browser's EventSource runs every workload that is not read in pieces
  const nativeRuns = results.plan.workloads.filter(w => w.readPiece === 0).map(w => w.id)
  const over = (client: string): number[] => nativeRuns.map(id => median(byOurs, id, client))
  const scaled = results.plan.scaling.map(w => perMiB(results, 'chromium', w, 'vue-refs'))
  const growth = scaled.at(-1)! / scaled[0]!
  const memory = spread(results.memory.filter(m => m.env === 'chromium' && m.client === 'vue-refs').map(m => m.peak))
  const copies = memory === null ? Number.NaN : memory.median / results.plan.memory.bytes
  const quadratic = num(results.plan.scaling.at(-1)!.bytes / results.plan.scaling[0]!.bytes)
  return table(['target (Chromium, medians of per-round ratios)', 'measured', 'result'], [
    ['`useEventSource` (refs) ≤ 1.15× eventsource-parser over the same fetch loop, geometric mean of small JSON events (ticks), tokens, 256 KiB events and 8-line events', `${factor(geomean)} (${named(TARGETED, vsParser)})`, met([geomean], v => v <= 1.15)],
    ['`useEventSource` (refs) ≤ 1.3× eventsource-parser on each of those four', named(TARGETED, vsParser), met(vsParser, v => v <= 1.3)],
    [`one event of ${results.plan.scaling.map(w => mib(w.bytes)).join(', ')}: time linear (\`useEventSource\` (refs), ms per MiB, largest ÷ smallest size ≤ 1.5; quadratic would be ${quadratic})`, Number.isNaN(growth) ? '—' : `${scaled.map(x => num(x)).join(' → ')} ms/MiB (${num(growth)})`, met([growth], v => v <= 1.5)],
    [`${mib(results.plan.memory.bytes)} event: live memory ≤ 1.2 copies (\`useEventSource\` (refs))`, Number.isNaN(copies) ? '—' : `${copies.toFixed(2)} copies`, met([copies], v => v <= 1.2)],
    ['`useEventSource` (refs) ahead of native `EventSource` on every workload native runs (256 KiB events included): native ÷ ours > 1', named(nativeRuns, over('native')), met(over('native'), v => v > 1)],
    ['VueUse 14 `useEventSource` ÷ ours (refs)', named(nativeRuns, over('vueuse')), 'for reference'],
    ['VueUse 15 `useEventSource` ÷ ours (refs)', named(nativeRuns, over('vueuse15')), 'for reference'],
    ['core `createEventSource` ÷ eventsource-parser', named(TARGETED, TARGETED.map(id => median(byParser, id, 'core'))), 'for reference'],
    ['eventsource-parser over fetch (the base), ratio to the raw read', named(TARGETED, TARGETED.map(id => median(byRaw, id, 'eventsource-parser'))), 'for reference'],
    ['floor: decode + split lines, no parser, ratio to the raw read', named(TARGETED, TARGETED.map(id => median(byRaw, id, 'floor'))), 'for reference'],
  ])
}

function sizeTable(sizes: readonly SizeRow[]): string {
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KiB`
  return table(['bundle (`vue` external, production)', 'minified (Vite)', 'min+gzip (Vite)', 'min+gzip (esbuild)', 'budget', 'issue 17\'s target'], sizes.map(s => [
    s.name,
    `${(s.minified / 1024).toFixed(1)} KiB`,
    kib(s.gzip),
    kib(s.esbuildGzip),
    s.name in SIZE_BUDGETS ? kib(SIZE_BUDGETS[s.name]!) : '',
    s.name in SIZE_TARGETS ? kib(SIZE_TARGETS[s.name]!) : '',
  ]))
}

/** The image of one of an environment's charts, with a blank line after it, if it has that chart. */
function chart(results: Results, env: EnvName, kind: ChartKind, what: string): string[] {
  return chartKinds(results, env).includes(kind) ? [`![${ENV_TITLE[env]}: ${what}](./${chartFile(env, kind)})\n`] : []
}

/** `bench/RESULTS.md`: the machine, the load, every table, and how the numbers were made. */
export function renderReport(results: Results, machine: Machine, sizes: readonly SizeRow[]): string {
  const { plan } = results
  const envs: EnvName[] = ['chromium', 'node']
  const load = (l: number[]): string => l.map(x => x.toFixed(2)).join(', ')
  const heldTo = Math.min(...clients.map(c => c.maxEventSize ?? Infinity))
  const section = (env: EnvName): string => [
    `## ${ENV_TITLE[env]}`,
    '',
    `### Time as a ratio to the raw read (median of ${plan.rounds} rounds, min–max)`,
    '',
    ratioTable(results, env, 'timed', plan.workloads, clients),
    '',
    env === 'chromium'
      ? '— : the browser\'s `EventSource` cannot be made to read in 16 KiB pieces, so it, VueUse 14 and 15 over it, and event-source-polyfill (which reads with the `fetch` it found when it loaded and cannot be given another) sit that row out.'
      : 'Node 20 has no `EventSource`: native, VueUse and event-source-polyfill run in Chromium only.',
    `Our drop-in \`EventSource\` and \`fetchEventSource\` keep the core's default \`maxEventSize\`, ${heldTo / 1024 ** 2} Mi characters (the APIs they copy have no option for it), so they sit out (—) an event that needs more.`,
    '',
    ...chart(results, env, 'timed', 'the table above as bars, one group per workload, log scale'),
    '### The raw read (the limit)',
    '',
    rawTable(results, env, plan.workloads),
    '',
    ...chart(results, env, 'raw', 'MiB/s of the raw read, one bar per workload'),
    '### Median times, ms',
    '',
    absoluteTable(results, env, plan.workloads),
    '',
    ...chart(results, env, 'times', 'the table above as bars, one group per workload, log scale'),
    '### One event of growing size: ms per MiB (linear time keeps it flat), and the ratio to the raw read',
    '',
    scalingTable(results, env),
    '',
    ...chart(results, env, 'scaling', 'ms per MiB, one group per size, log scale'),
    `### Live memory while reading the ${mib(plan.memory.bytes)} event`,
    '',
    results.memory.some(m => m.env === env) ? memoryTable(results, env) : '(not measured: no `gc()` in this run)',
    '',
    ...chart(results, env, 'memory', 'copies of the event held at the peak, one bar per client'),
    `### Bursts into Vue: ${plan.burst.title}, a component rendering \`data\``,
    '',
    burstTable(results, env),
    '',
    ...chart(results, env, 'bursts', 'events handled, data changes and renders per second, per flush mode, log scale'),
  ].join('\n')
  const failures = results.failures.length === 0
    ? 'Every client delivered the exact count, checksum and last event ID in every run.'
    : results.failures.map(f => `- ✗ ${f.env} ${f.client} on ${f.workload}, round ${f.round + 1}: ${f.message}`).join('\n')
  return [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/main.ts); do not edit by hand. Timings are ratios to merely reading',
    'the same bytes with `fetch` in the same round, so they compare clients rather than machines.',
    '',
    '## Machine and run',
    '',
    table(['', ''], [
      ['date', machine.date],
      ['CPU', `${machine.cpu}, ${machine.cores} cores`],
      ['RAM', machine.ram],
      ['OS', machine.os],
      ['Node', machine.node],
      ['Chromium', `${machine.chromium}, \`--headless\`, started directly (no DevTools protocol session)`],
      ['packages', Object.entries(machine.packages).map(([name, v]) => `${name} ${v}`).join(', ')],
      ['load average (1, 5, 15 min)', `before ${load(machine.loadBefore)}; after ${load(machine.loadAfter)}`],
      ['rounds', `${plan.rounds} measured rounds after one warm-up pass; clients rotate their order each round`],
    ]),
    '',
    failures,
    '',
    '## Targets',
    '',
    targets(results),
    '',
    ...envs.map(section),
    '## Size',
    '',
    sizeTable(sizes),
    '',
    `![Size: the table above as bars, with Vite and with esbuild, and the budgets](./${chartFile('size')})`,
    '',
    'Each bundle is built by Vite (Rolldown, the Oxc minifier) from an entry that exports only that function, with `vue` left out, and gzipped at level 9 (bench/size.ts).',
    '',
    METHOD,
  ].join('\n')
}
