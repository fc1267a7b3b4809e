import type { Spread } from './stats'

// A hand-written SVG bar chart, the shape of every chart the bench draws: groups of horizontal bars,
// a bar per row of a table, its length the median (on a log or a linear axis), a line across its end
// for the min–max, a label for what it is. This library's bars come first in every group, on a shaded
// band, with bold labels.

const FONT = 'system-ui, -apple-system, \'Segoe UI\', Roboto, \'DejaVu Sans\', Arial, sans-serif'
const WIDTH = 1000
const PAD = 16
/** Room right of the plot for a bar's value. */
const VALUE_ROOM = 90
/** About how wide a character of a 12 px label is (bold, plain), to fit the label column to the longest label. */
const CHAR_WIDTH = { bold: 7.2, plain: 6.6 }
const STEP = 18
const BAR = 12
const LEGEND_COLUMNS = 3
const LEGEND_ROW = 18

export interface ChartBar {
  label: string
  /** One of this library's: first in its group, shaded, bold. */
  ours: boolean
  colour: string
  /** The median and the min–max; `null` draws `missing` instead of a bar. */
  value: Spread | null
  /** What stands in for a bar without a value ("— sits this workload out", "✗ failed 2×"). */
  missing?: string
  /** Whether `missing` is a failure (drawn in red). */
  failed?: boolean
}

export interface ChartGroup {
  title: string
  bars: readonly ChartBar[]
}

export interface ChartSpec {
  title: string
  /** One line under the title: what a bar is. */
  caption: string
  /** The axis's own label, under it. */
  axis: string
  scale: 'log' | 'linear'
  /** A value as printed at a bar's end and in its tooltip. */
  format: (value: number) => string
  /** An axis tick's label; a short number unless told. */
  tick?: (value: number) => string
  groups: readonly ChartGroup[]
  /** Labelled vertical lines: a target, a budget, the limit. */
  marks?: readonly { value: number, label: string, colour?: string }[]
  /** The legend, when the bars' labels repeat across groups; none when every bar is named in place. */
  legend?: readonly { label: string, colour: string, ours: boolean }[]
}

const SPECIAL = /[&<>"]/g
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
const CODE_MARK = /`/g
const escape = (text: string): string => text.replace(SPECIAL, c => ENTITY[c]!)
/** A table label as plain text: no Markdown code marks. */
const plain = (label: string): string => escape(label.replace(CODE_MARK, ''))
const text = (x: number, y: number, content: string, attributes = ''): string => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes === '' ? '' : ` ${attributes}`}>${content}</text>`

/** 0.01, 0.02, 0.05, 0.1, … 50 000 000: a log axis's ticks. */
const LOG_TICKS = Array.from({ length: 3 * 10 }, (_, i) => [1, 2, 5][i % 3]! * 10 ** (Math.floor(i / 3) - 2))

/** The axis: its ends and ticks around every value. A log axis starts at the tick below the least. */
function axis(spec: ChartSpec, values: readonly number[]): { low: number, high: number, ticks: number[] } {
  const marks = (spec.marks ?? []).map(m => m.value)
  const all = [...values, ...marks].filter(v => Number.isFinite(v) && (spec.scale === 'linear' || v > 0))
  if (spec.scale === 'log') {
    const least = Math.min(...all, 1)
    const most = Math.max(...all, 2)
    const low = LOG_TICKS.filter(t => t <= least).at(-1) ?? LOG_TICKS[0]!
    const high = LOG_TICKS.find(t => t >= most) ?? LOG_TICKS.at(-1)!
    return { low, high, ticks: LOG_TICKS.filter(t => t >= low && t <= high) }
  }
  const most = Math.max(...all, 1e-9)
  // a step of 1, 2 or 5 times a power of ten that gives four to ten ticks
  const magnitude = 10 ** Math.floor(Math.log10(most))
  const step = [0.1, 0.2, 0.5, 1, 2].map(f => f * magnitude).find(s => most / s <= 10)!
  const high = Math.ceil(most / step) * step
  return { low: 0, high, ticks: Array.from({ length: Math.round(high / step) + 1 }, (_, i) => i * step) }
}

/** Legend rows: ours first, the others from a fresh row. */
const legendRows = (ours: number, others: number): number => Math.ceil(ours / LEGEND_COLUMNS) + Math.ceil(others / LEGEND_COLUMNS)

function legend(entries: NonNullable<ChartSpec['legend']>, top: number): string {
  const column = (WIDTH - 2 * PAD) / LEGEND_COLUMNS
  const ours = entries.filter(e => e.ours)
  const others = entries.filter(e => !e.ours)
  const place = (list: typeof entries, firstRow: number): string[] => list.map((e, i) => {
    const x = PAD + (i % LEGEND_COLUMNS) * column
    const y = top + (firstRow + Math.floor(i / LEGEND_COLUMNS)) * LEGEND_ROW
    return `<rect x="${x}" y="${y - 10}" width="12" height="12" rx="2" fill="${e.colour}"/>${text(x + 18, y, plain(e.label), `font-size="11.5"${e.ours ? ' font-weight="600"' : ''}`)}`
  })
  return [...place(ours, 0), ...place(others, Math.ceil(ours.length / LEGEND_COLUMNS))].join('')
}

/** A tick's number, short: 0.5, 20, 1.5k, 100k. */
function shortNumber(value: number): string {
  const round = (v: number): string => String(Number(v.toPrecision(4)))
  return value >= 1000 ? `${round(value / 1000)}k` : round(value)
}

/** The SVG of one chart. */
export function barChart(spec: ChartSpec): string {
  const groups = spec.groups.map(g => ({ ...g, bars: [...g.bars.filter(b => b.ours), ...g.bars.filter(b => !b.ours)] }))
  const { low, high, ticks } = axis(spec, groups.flatMap(g => g.bars.flatMap(b => (b.value === null ? [] : [b.value.min, b.value.max]))))
  // The label column fits the longest label, within a third to a half of the width.
  const longest = Math.max(...groups.flatMap(g => g.bars.map(b => b.label.replace(CODE_MARK, '').length * (b.ours ? CHAR_WIDTH.bold : CHAR_WIDTH.plain))))
  const plotX = Math.round(Math.min(WIDTH / 2, Math.max(WIDTH / 3, PAD + longest + 8)))
  const plotW = WIDTH - plotX - VALUE_ROOM
  // A long log axis labels its powers of ten only; every tick keeps its line.
  const labelled = spec.scale === 'log' && ticks.length > 10 ? ticks.filter(t => Number.isInteger(Math.log10(t))) : ticks
  const tick = spec.tick ?? shortNumber
  const x = spec.scale === 'log'
    ? (value: number): number => plotX + plotW * Math.log(Math.max(value, low) / low) / Math.log(high / low)
    : (value: number): number => plotX + plotW * (value - low) / (high - low)

  const entries = spec.legend ?? []
  const legendTop = 66
  const axisTop = (entries.length === 0 ? 56 : legendTop + legendRows(entries.filter(e => e.ours).length, entries.filter(e => !e.ours).length) * LEGEND_ROW) + 14
  const plotTop = axisTop + 10
  const heights = groups.map(g => 24 + g.bars.length * STEP + 10)
  const plotBottom = plotTop + heights.reduce((sum, h) => sum + h, 0)
  const marks = spec.marks ?? []
  const height = plotBottom + 52 + marks.length * 14

  const parts: string[] = [
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(PAD, 26, plain(spec.title), 'font-size="17" font-weight="700"'),
    text(PAD, 46, plain(spec.caption), 'font-size="12" fill="#444"'),
    legend(entries, legendTop),
  ]
  const axisLabels = (y: number): string => labelled.map(t => text(x(t), y, escape(tick(t)), 'text-anchor="middle" font-size="11" fill="#555"')).join('')
  parts.push(axisLabels(axisTop))
  parts.push(...ticks.map(t => `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${plotTop}" y2="${plotBottom}" stroke="${spec.scale === 'log' && t === 1 ? '#9e9e9e' : '#e3e3e3'}" stroke-width="1"/>`))
  // Each mark's label on a line of its own under the axis, toward the plot's middle from its line.
  marks.forEach((mark, i) => {
    const at = x(mark.value)
    const colour = mark.colour ?? '#c62828'
    parts.push(`<line x1="${at.toFixed(1)}" x2="${at.toFixed(1)}" y1="${plotTop - 4}" y2="${plotBottom + 20 + (i + 1) * 14}" stroke="${colour}" stroke-width="1.2" stroke-dasharray="4 3"/>`)
    const right = at > plotX + plotW / 2
    parts.push(text(right ? at - 4 : at + 4, plotBottom + 30 + i * 14, escape(mark.label), `font-size="11" fill="${colour}"${right ? ' text-anchor="end"' : ''}`))
  })
  let top = plotTop
  groups.forEach((group, g) => {
    parts.push(text(PAD, top + 16, plain(group.title), 'font-size="13" font-weight="700"'))
    const ours = group.bars.filter(b => b.ours).length
    if (ours > 0)
      parts.push(`<rect x="${PAD / 2}" y="${top + 24 - 3}" width="${WIDTH - PAD}" height="${ours * STEP}" rx="3" fill="#2b7bd0" fill-opacity="0.09"/>`)
    group.bars.forEach((bar, i) => {
      const y = top + 24 + i * STEP
      const middle = y + BAR / 2
      parts.push(text(plotX - 8, middle + 4, plain(bar.label), `text-anchor="end" font-size="12"${bar.ours ? ' font-weight="600"' : ''}`))
      if (bar.value === null) {
        parts.push(text(plotX + 6, middle + 4, escape(bar.missing ?? '—'), bar.failed === true ? 'font-size="12" fill="#c62828" font-weight="600"' : 'font-size="12" fill="#777" font-style="italic"'))
        return
      }
      const { median, min, max } = bar.value
      const end = Math.max(x(median), plotX + 1)
      parts.push(`<rect x="${plotX}" y="${y}" width="${(end - plotX).toFixed(1)}" height="${BAR}" rx="2" fill="${bar.colour}"><title>${plain(bar.label)}: ${escape(spec.format(median))}${max > min ? ` (${escape(spec.format(min))}–${escape(spec.format(max))})` : ''}</title></rect>`)
      if (max > min)
        parts.push(`<path d="M${x(min).toFixed(1)} ${middle}H${x(max).toFixed(1)}M${x(min).toFixed(1)} ${middle - 3}v6M${x(max).toFixed(1)} ${middle - 3}v6" stroke="#222" stroke-width="1.2" fill="none"/>`)
      parts.push(text(Math.max(end, x(max)) + 6, middle + 4, escape(spec.format(median)), 'font-size="11" fill="#222"'))
    })
    top += heights[g]!
  })
  parts.push(axisLabels(plotBottom + 16))
  parts.push(text(plotX + plotW / 2, plotBottom + 44 + marks.length * 14, escape(spec.axis), 'text-anchor="middle" font-size="12" fill="#444"'))
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${escape(FONT)}" font-size="12" fill="#111" role="img">`,
    `<title>${plain(spec.title)}</title>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}
