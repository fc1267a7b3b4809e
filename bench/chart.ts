import type { BenchClient } from './clients/types'
import type { EnvName } from './plan'
import type { Results } from './results'
import type { Spread } from './stats'
import { clients } from './clients/index'
import { ratios } from './ratios'
import { num, spread } from './stats'

// A hand-written SVG of one environment's timed table: a group of horizontal bars per workload, a bar
// per client, its length the median ratio to the raw read on a log scale, a line across its end for the
// min–max. Our clients come first in every group, on a shaded band, in blues and teals.

const OURS = ['#1a4f8f', '#2b7bd0', '#7aaee6', '#0d7c76', '#52bdb0', '#3f51b5']
const OTHERS = ['#c62828', '#ef6c00', '#8d5a3b', '#2e7d32', '#9ccc65', '#827717', '#7b1fa2', '#d81b60', '#757575', '#f9a825', '#4e342e']
const FONT = 'system-ui, -apple-system, \'Segoe UI\', Roboto, \'DejaVu Sans\', Arial, sans-serif'
const WIDTH = 1000
const PAD = 16
const PLOT_X = 340
const PLOT_W = 540
const STEP = 18
const BAR = 12
const LEGEND_COLUMNS = 3
const LEGEND_ROW = 18

interface Bar {
  client: BenchClient
  colour: string
  value: Spread | null
  failed: number
}

/** Where a full run writes an environment's chart: beside RESULTS.md, in bench/. */
export function chartFile(env: EnvName): string {
  return `results-${env}.svg`
}

const SPECIAL = /[&<>"]/g
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
const CODE_MARK = /`/g
const escape = (text: string): string => text.replace(SPECIAL, c => ENTITY[c]!)
/** A table label as plain text: no Markdown code marks. */
const plain = (label: string): string => escape(label.replace(CODE_MARK, ''))
const text = (x: number, y: number, content: string, attributes = ''): string => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes === '' ? '' : ` ${attributes}`}>${content}</text>`

/** 0.1, 0.2, 0.5, 1, 2, 5, 10, … 10 000: the log axis's ticks. */
const TICKS = Array.from({ length: 5 * 3 }, (_, i) => [1, 2, 5][i % 3]! * 10 ** (Math.floor(i / 3) - 1))

/** The axis's ends: ticks around every value, from 1× (or below, if a client beat the raw read). */
function domain(values: readonly number[]): [number, number] {
  const low = Math.min(1, ...values)
  const high = Math.max(2, ...values)
  return [TICKS.filter(t => t <= low).at(-1) ?? TICKS[0]!, TICKS.find(t => t >= high) ?? TICKS.at(-1)!]
}

/**
 * Ours in blues and teals, the others in distinct warm, green, purple and grey hues, in table order over
 * every client, so a client has the same colour in every environment's chart.
 */
function colours(list: readonly BenchClient[]): Map<string, string> {
  let ours = 0
  let others = 0
  return new Map(list.map(c => [c.id, c.ours === true ? OURS[ours++ % OURS.length]! : OTHERS[others++ % OTHERS.length]!]))
}

/** Legend rows: ours first, the others from a fresh row. */
const legendRows = (ours: number, others: number): number => Math.ceil(ours / LEGEND_COLUMNS) + Math.ceil(others / LEGEND_COLUMNS)

/** A swatch and the label of every client, ours on the first row(s), the others below. */
function legend(shown: readonly BenchClient[], colour: Map<string, string>, top: number): string {
  const column = (WIDTH - 2 * PAD) / LEGEND_COLUMNS
  const ours = shown.filter(c => c.ours === true)
  const others = shown.filter(c => c.ours !== true)
  const firstOther = Math.ceil(ours.length / LEGEND_COLUMNS)
  const place = (list: readonly BenchClient[], firstRow: number): string[] => list.map((c, i) => {
    const x = PAD + (i % LEGEND_COLUMNS) * column
    const y = top + (firstRow + Math.floor(i / LEGEND_COLUMNS)) * LEGEND_ROW
    return `<rect x="${x}" y="${y - 10}" width="12" height="12" rx="2" fill="${colour.get(c.id)}"/>${text(x + 18, y, plain(c.label), `font-size="11.5"${c.ours === true ? ' font-weight="600"' : ''}`)}`
  })
  return [...place(ours, 0), ...place(others, firstOther)].join('')
}

/**
 * The SVG bar chart of one environment's "Time as a ratio to the raw read" table: one group per timed
 * workload, one bar per client (median over the rounds, min–max as a line), on a log axis.
 */
export function ratioChart(results: Results, env: EnvName, title: string): string {
  const r = ratios(results.samples, env, 'timed')
  const listed = clients.filter(c => c.id !== 'raw' && c.runsIn.includes(env))
  const shown = [...listed.filter(c => c.ours === true), ...listed.filter(c => c.ours !== true)]
  const colour = colours(clients.filter(c => c.id !== 'raw'))
  const groups = results.plan.workloads.map(w => ({
    title: w.title,
    bars: shown.map((c): Bar => ({
      client: c,
      colour: colour.get(c.id)!,
      value: spread(r.get(w.id)?.get(c.id) ?? []),
      failed: results.failures.filter(f => f.env === env && f.workload === w.id && f.client === c.id).length,
    })),
  }))
  const [low, high] = domain(groups.flatMap(g => g.bars.flatMap(b => (b.value === null ? [] : [b.value.min, b.value.max]))))
  const x = (value: number): number => PLOT_X + PLOT_W * Math.log(value / low) / Math.log(high / low)
  const ticks = TICKS.filter(t => t >= low && t <= high)
  const oursCount = shown.filter(c => c.ours === true).length

  const legendTop = 66
  const axisTop = legendTop + legendRows(oursCount, shown.length - oursCount) * LEGEND_ROW + 14
  const plotTop = axisTop + 10
  const groupHeight = 24 + shown.length * STEP + 10
  const plotBottom = plotTop + groups.length * groupHeight
  const height = plotBottom + 52

  const parts: string[] = [
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(PAD, 26, `${escape(title)}: time as a ratio to the raw fetch read`, 'font-size="17" font-weight="700"'),
    text(PAD, 46, escape(`Bar: the median of ${results.plan.rounds} round${results.plan.rounds === 1 ? '' : 's'}; line: min–max. Shorter is faster; 1× is the raw read itself. Shaded rows: this library's clients (bold).`), 'font-size="12" fill="#444"'),
    legend(shown, colour, legendTop),
  ]
  const axisLabels = (y: number): string => ticks.map(t => text(x(t), y, `${t}×`, 'text-anchor="middle" font-size="11" fill="#555"')).join('')
  parts.push(axisLabels(axisTop))
  parts.push(...ticks.map(t => `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${plotTop}" y2="${plotBottom}" stroke="${t === 1 ? '#9e9e9e' : '#e3e3e3'}" stroke-width="1"/>`))
  groups.forEach((group, g) => {
    const top = plotTop + g * groupHeight
    parts.push(text(PAD, top + 16, plain(group.title), 'font-size="13" font-weight="700"'))
    if (oursCount > 0)
      parts.push(`<rect x="${PAD / 2}" y="${top + 24 - 3}" width="${WIDTH - PAD}" height="${oursCount * STEP}" rx="3" fill="#2b7bd0" fill-opacity="0.09"/>`)
    group.bars.forEach((bar, i) => {
      const y = top + 24 + i * STEP
      const middle = y + BAR / 2
      parts.push(text(PLOT_X - 8, middle + 4, plain(bar.client.label), `text-anchor="end" font-size="12"${bar.client.ours === true ? ' font-weight="600"' : ''}`))
      if (bar.failed > 0) {
        parts.push(text(PLOT_X + 6, middle + 4, `✗ failed ${bar.failed}×`, 'font-size="12" fill="#c62828" font-weight="600"'))
        return
      }
      if (bar.value === null) {
        parts.push(text(PLOT_X + 6, middle + 4, '— sits this workload out', 'font-size="12" fill="#777" font-style="italic"'))
        return
      }
      const { median, min, max } = bar.value
      const end = Math.max(x(median), PLOT_X + 1)
      parts.push(`<rect x="${PLOT_X}" y="${y}" width="${(end - PLOT_X).toFixed(1)}" height="${BAR}" rx="2" fill="${bar.colour}"><title>${plain(bar.client.label)}: ${num(median)}× (${num(min)}–${num(max)})</title></rect>`)
      if (max > min)
        parts.push(`<path d="M${x(min).toFixed(1)} ${middle}H${x(max).toFixed(1)}M${x(min).toFixed(1)} ${middle - 3}v6M${x(max).toFixed(1)} ${middle - 3}v6" stroke="#222" stroke-width="1.2" fill="none"/>`)
      parts.push(text(Math.max(end, x(max)) + 6, middle + 4, `${num(median)}×`, 'font-size="11" fill="#222"'))
    })
  })
  parts.push(axisLabels(plotBottom + 16))
  parts.push(text(PLOT_X + PLOT_W / 2, plotBottom + 38, 'time ÷ the raw fetch read in the same round (log scale)', 'text-anchor="middle" font-size="12" fill="#444"'))
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${escape(FONT)}" font-size="12" fill="#111" role="img">`,
    `<title>${escape(title)}: time as a ratio to the raw fetch read, per workload and client</title>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}
