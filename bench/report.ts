import type { BenchClient } from './clients/types'
import type { Machine } from './machine'
import type { EnvName, Sample, WorkloadInfo } from './plan'
import type { Results } from './results'
import type { SizeRow } from './size'
import type { Spread } from './stats'
import { FLUSH_MODES } from './burst'
import { clients, memoryClients, oneEventClients } from './clients/index'
import { METHOD } from './method'
import { BUDGETED, SIZE_BUDGET } from './size'
import { spread } from './stats'

const ENV_TITLE: Record<EnvName, string> = { chromium: 'Chromium (headless)', node: 'Node' }
const SMALL = ['ticks', 'tokens', 'multiline']
const LARGE = ['large', 'one-event']

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

const num = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
const ratio = (s: Spread | null): string => (s === null ? '—' : `${num(s.median)}× (${num(s.min)}–${num(s.max)})`)
const ms = (s: Spread | null): string => (s === null ? '—' : `${num(s.median)} ms (${num(s.min)}–${num(s.max)})`)
const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MiB`

/** Per workload and client, each round's time divided by the raw read's time in that same round. */
function ratios(samples: readonly Sample[], env: EnvName, phase: Sample['phase']): Map<string, Map<string, number[]>> {
  const mine = samples.filter(s => s.env === env && s.phase === phase)
  const rawOf = new Map(mine.filter(s => s.client === 'raw').map(s => [`${s.workload}/${s.round}`, s.ms]))
  const out = new Map<string, Map<string, number[]>>()
  for (const sample of mine) {
    const limit = rawOf.get(`${sample.workload}/${sample.round}`)
    if (limit === undefined || sample.client === 'raw')
      continue
    const byClient = out.get(sample.workload) ?? new Map<string, number[]>()
    out.set(sample.workload, byClient)
    byClient.set(sample.client, [...(byClient.get(sample.client) ?? []), sample.ms / limit])
  }
  return out
}

function times(samples: readonly Sample[], env: EnvName, phase: Sample['phase'], workload: string, client: string): number[] {
  return samples.filter(s => s.env === env && s.phase === phase && s.workload === workload && s.client === client).map(s => s.ms)
}

function failedCell(results: Results, env: EnvName, workload: string, client: string): string | null {
  const failed = results.failures.filter(f => f.env === env && f.workload === workload && f.client === client)
  return failed.length === 0 ? null : `✗ failed ${failed.length}×`
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

/** Median ms per MiB of one client on one of the one-event sizes. */
function perMiB(results: Results, env: EnvName, workload: WorkloadInfo, client: string): number {
  return (spread(times(results.samples, env, 'scaling', workload.id, client))?.median ?? Number.NaN) / (workload.bytes / 1024 ** 2)
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

/** The issue's targets, checked on the Chromium medians. */
function targets(results: Results): string {
  const r = ratios(results.samples, 'chromium', 'timed')
  const median = (workload: string, client: string): number => spread(r.get(workload)?.get(client) ?? [])?.median ?? Number.NaN
  const worst = (ids: readonly string[], client: string): number => Math.max(...ids.map(id => median(id, client)))
  const titled = (ids: readonly string[], client: string): string => ids.map(id => `${num(median(id, client))}×`).join(', ')
  const met = (value: number, limit: number): string => (Number.isNaN(value) ? 'not measured' : value <= limit ? 'met' : '**not met**')
  const coreSmall = worst(SMALL, 'core')
  const coreLarge = worst(LARGE, 'core')
  const vueSmall = worst(SMALL, 'vue-refs')
  const ahead = (peer: string): string => SMALL.map(id => `${num(median(id, peer) / median(id, 'vue-refs'))}×`).join(', ')
  const scaled = results.plan.scaling.map(w => perMiB(results, 'chromium', w, 'core'))
  const growth = scaled.at(-1)! / scaled[0]!
  const memory = spread(results.memory.filter(m => m.env === 'chromium' && m.client === 'core').map(m => m.peak))
  const copies = memory === null ? Number.NaN : memory.median / results.plan.memory.bytes
  return table(['target (ratio to the raw read, Chromium, medians)', 'measured', 'result'], [
    ['core ≤ 3.5× on small events (ticks, tokens, 8-line events)', titled(SMALL, 'core'), met(coreSmall, 3.5)],
    ['core ≤ 2× on large events (256 KiB, 16 MiB)', titled(LARGE, 'core'), met(coreLarge, 2)],
    ['`useEventSource` with refs ≤ 5× on small events', titled(SMALL, 'vue-refs'), met(vueSmall, 5)],
    ['native `EventSource` ÷ `useEventSource` (refs), small events', ahead('native'), 'for reference'],
    ['VueUse `useEventSource` ÷ ours (refs), small events', ahead('vueuse'), 'for reference'],
    ['eventsource-parser over fetch, small events (the issue quotes 3.3× on the first)', titled(SMALL, 'eventsource-parser'), 'for reference'],
    ['floor: decode + split lines, no parser, small events', titled(SMALL, 'floor'), 'for reference'],
    [`one event of ${results.plan.scaling.map(w => mib(w.bytes)).join(', ')}: time linear (core's ms per MiB, largest ÷ smallest size ≤ 1.5; quadratic would be ${num(results.plan.scaling.at(-1)!.bytes / results.plan.scaling[0]!.bytes)})`, `${scaled.map(x => `${num(x)}`).join(' → ')} ms/MiB (${num(growth)})`, met(growth, 1.5)],
    [`${mib(results.plan.memory.bytes)} event: live memory ≤ 2 copies (core)`, `${copies.toFixed(2)} copies`, met(copies, 2)],
  ])
}

function sizeTable(sizes: readonly SizeRow[]): string {
  return table(['bundle (`vue` external)', 'minified', 'min+gzip'], sizes.map(s => [s.name, `${(s.minified / 1024).toFixed(1)} KiB`, `${(s.gzip / 1024).toFixed(2)} KiB${s.name === BUDGETED ? ` (budget ${(SIZE_BUDGET / 1024).toFixed(1)} KiB)` : ''}`]))
}

/** `bench/RESULTS.md`: the machine, the load, every table, and how the numbers were made. */
export function renderReport(results: Results, machine: Machine, sizes: readonly SizeRow[]): string {
  const { plan } = results
  const envs: EnvName[] = ['chromium', 'node']
  const load = (l: number[]): string => l.map(x => x.toFixed(2)).join(', ')
  const section = (env: EnvName): string => [
    `## ${ENV_TITLE[env]}`,
    '',
    `### Time as a ratio to the raw read (median of ${plan.rounds} rounds, min–max)`,
    '',
    ratioTable(results, env, 'timed', plan.workloads, clients),
    '',
    env === 'chromium'
      ? '— : the browser\'s `EventSource` cannot be made to read in 16 KiB pieces, so it (and VueUse over it) sits that row out.'
      : 'Node 20 has no `EventSource`: native and VueUse run in Chromium only.',
    '',
    '### The raw read (the limit)',
    '',
    rawTable(results, env, plan.workloads),
    '',
    '### Median times, ms',
    '',
    absoluteTable(results, env, plan.workloads),
    '',
    '### One event of growing size: ms per MiB (linear time keeps it flat), and the ratio to the raw read',
    '',
    scalingTable(results, env),
    '',
    `### Live memory while reading the ${mib(plan.memory.bytes)} event`,
    '',
    results.memory.some(m => m.env === env) ? memoryTable(results, env) : '(not measured: no `gc()` in this run)',
    '',
    `### Bursts into Vue: ${plan.burst.title}, a component rendering \`data\``,
    '',
    burstTable(results, env),
    '',
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
    'Each bundle is built by Vite (Rolldown, the Oxc minifier) from an entry that exports only that function, with `vue` left out, and gzipped at level 9 (bench/size.ts).',
    '',
    METHOD,
  ].join('\n')
}
