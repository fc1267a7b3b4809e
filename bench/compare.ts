import type { Workload } from './workloads'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { extname, join, resolve } from 'node:path'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { buildPage, chromiumPath } from './browser'
import { num, spread } from './stats'
import { large, multiline, ticks, tokens } from './workloads'

// `npm run bench:compare -- [ref]`: this working tree against a git ref (HEAD unless told), layer by
// layer (our parser, the core client, `useEventSource`), in one Chromium page and in the same rounds,
// with the bytes read from memory. Full runs of `npm run bench` differ from each other by more than
// most changes make; a ratio to the code before, round by round, does not. Prints, writes nothing.
const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '21' } } })
const ref = positionals[0] ?? 'HEAD'
const rounds = Math.max(5, Number.parseInt(args.rounds, 10))
const KiB = 1024
/** The chunk the page reads at a time: about what the bench's raw read sees on 127.0.0.1. */
const CHUNK = 256 * KiB
const LAYERS = ['parser', 'core', 'useEventSource'] as const
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

if (process.env.NODE_ENV !== 'production')
  throw new Error('run with NODE_ENV=production (npm run bench:compare does)')

/** The ref's src/, where the page's `@base` alias points. */
function checkOut(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  execFileSync('tar', ['-x', '-C', dir], { input: execFileSync('git', ['archive', '--format=tar', ref, 'src'], { maxBuffer: 1 << 30 }) })
}

/** Median and quartiles of `values`, as "0.93 (0.88–0.97)". */
function quartiles(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))]!
  return `${num(at(0.5))} (${num(at(0.25))}–${num(at(0.75))})`
}

async function main(): Promise<void> {
  const base = resolve('.bench/compare/base')
  const outDir = resolve('.bench/compare/page')
  checkOut(base)
  await buildPage(outDir, 'bench/compare', { '@base': join(base, 'src') })
  const workloads: Workload[] = [ticks('ticks', 200_000), tokens('tokens', 100_000), large('large', 200, 256 * KiB), multiline('multiline', 50_000)]

  const { chromium } = await import('playwright')
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  try {
    const page = await browser.newPage()
    await page.route('http://compare.local/**', async (route) => {
      const path = new URL(route.request().url()).pathname
      const workload = workloads.find(w => path === `/workload/${w.info.id}`)
      if (workload !== undefined)
        return route.fulfill({ body: workload.body, contentType: 'application/octet-stream' })
      const file = join(outDir, path === '/' ? 'index.html' : path)
      return route.fulfill({ body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' })
    })
    await page.goto('http://compare.local/')
    await page.waitForFunction(() => 'compare' in window)
    const infos = workloads.map(w => ({ id: w.info.id, type: w.info.eventType, count: w.info.count, url: `http://compare.local/workload/${w.info.id}` }))
    process.stdout.write(`${ref} against this working tree, ${rounds} rounds in Chromium, ${CHUNK / KiB} KiB reads from memory…\n`)
    const times = await page.evaluate(([w, r, c]) => (window as unknown as { compare: (...a: unknown[]) => Promise<Record<string, Record<string, number[]>>> }).compare(w, r, c), [infos, rounds, CHUNK] as const)

    const rows: string[] = []
    for (const w of workloads) {
      const t = times[w.info.id]!
      const per = (a: string, b: string): number[] => t[a]!.map((x, i) => x / t[b]![i]!)
      for (const layer of LAYERS) {
        rows.push(`| ${w.info.id} | ${layer} | ${quartiles(per(`${layer} new`, `${layer} base`))} | ${quartiles(per(`${layer} base`, 'eventsource-parser'))} | ${quartiles(per(`${layer} new`, 'eventsource-parser'))} | ${num(spread(t[`${layer} new`]!)!.median)} |`)
      }
    }
    process.stdout.write([
      '',
      '| workload | layer | new ÷ base, per round: median (quartiles) | base ÷ eventsource-parser | new ÷ eventsource-parser | new, median ms |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      'Below 1 in the first column: this tree is faster than the ref. The ratios to eventsource-parser are without',
      'the network, so they are larger than the bench\'s, whose times include the raw read.',
      '',
    ].join('\n'))
  }
  finally {
    await browser.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exitCode = 1
})
