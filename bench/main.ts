import type { Phase } from './plan'
import type { FromServer, ServerWorkerData } from './serverWorker'
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { buildPage, chromiumVersion, startChromium } from './browser'
import { renderCharts } from './charts'
import { runChatBench } from './chat'
import { currentLoad, describeMachine } from './machine'
import { nodeEnv } from './nodeEnv'
import { renderReport } from './report'
import { Results } from './results'
import { measureSizes, overBudget } from './size'
import { runSuite } from './suite'

// `npm run bench` builds this file into .bench/node/main.mjs and runs it:
//   --smoke       tiny workloads, one round, every client in Node and Chromium; checks, prints, writes nothing
//   --rounds N    measured rounds (default 5)
//   --only node|chromium
//   --phases timed,scaling,memory,burst   a part of the suite
//   --clients core,vue-refs,…  --workloads ticks,tokens,…   some clients or timed workloads
//   --serve       start the server and print the page's address, for a browser of your own (or a profiler)
//   --chat        the chat workload only, beside @ai-sdk/vue's useChat (bench/chat.ts); with --smoke, --rounds
// Only a full run (no --only, --phases, --clients, --workloads) writes bench/RESULTS.md and, beside it,
// its charts, bench/results-*.svg, one per table (the docs site takes them from there); every run renders them.
const PHASES: Phase[] = ['timed', 'scaling', 'memory', 'burst']
const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
    phases: { type: 'string', default: PHASES.join(',') },
    clients: { type: 'string', default: '' },
    workloads: { type: 'string', default: '' },
    serve: { type: 'boolean', default: false },
    chat: { type: 'boolean', default: false },
  },
})
const list = (value: string): string[] => value.split(',').filter(Boolean)
const phases = args.phases.split(',').filter((p): p is Phase => PHASES.includes(p as Phase))
const partial = args.only !== undefined || phases.length < PHASES.length || args.clients !== '' || args.workloads !== ''
const smoke = args.smoke
const rounds = smoke ? 1 : Math.max(3, Number.parseInt(args.rounds, 10))
function log(line: string): void {
  process.stdout.write(`${line}\n`)
}

if (process.env.NODE_ENV !== 'production')
  throw new Error('run the bench with NODE_ENV=production (npm run bench does), so Node loads Vue\'s production build')

async function main(): Promise<number> {
  const started = performance.now()
  const machine = describeMachine(await chromiumVersion())
  const pageDir = resolve('.bench/page')
  log('building the bench page (Vite production build)…')
  await buildPage(pageDir)

  const worker = new Worker(resolve('.bench/node/serverWorker.mjs'), { workerData: { selection: { smoke, rounds, phases, clients: list(args.clients), workloads: list(args.workloads) }, pageDir } satisfies ServerWorkerData })
  const ready = await new Promise<Extract<FromServer, { type: 'ready' }>>((resolve, reject) => {
    worker.once('error', reject)
    worker.on('message', (message: FromServer) => {
      if (message.type === 'ready')
        resolve(message)
    })
  })
  const results = new Results(ready.plan, log)
  worker.on('message', (message: FromServer) => {
    if (message.type === 'report')
      results.add(message.report)
  })
  log(`server at ${ready.url}; ${rounds} round(s)${smoke ? ', smoke run' : ''}`)

  if (args.serve) {
    log(`open ${ready.url}/ in a browser; the page runs the plan and reports here. Ctrl-C to stop.`)
    await new Promise(() => {})
  }
  try {
    if (args.only !== 'chromium')
      await runSuite(nodeEnv, ready.plan, ready.url, report => results.add(report))
    if (args.only !== 'node') {
      const done = results.finished('chromium')
      const browser = await startChromium(`${ready.url}/`)
      const limit = smoke ? 90_000 : 20 * 60_000
      const outcome = await Promise.race([
        done.then(() => 'done'),
        browser.exited.then(code => `Chromium exited (${code}) before the page was done`),
        new Promise<string>(resolve => setTimeout(resolve, limit, `the page was not done within ${limit / 1000} s`).unref()),
      ])
      await browser.stop()
      if (outcome !== 'done')
        results.failures.push({ env: 'chromium', workload: '-', client: 'page', round: -1, message: outcome })
    }
  }
  finally {
    worker.postMessage('close')
    await new Promise(resolve => worker.once('exit', resolve))
  }

  const sizes = await measureSizes()
  machine.loadAfter = currentLoad()
  const report = renderReport(results, machine, sizes)
  log('')
  log(report)
  const charts = renderCharts(results, sizes)
  if (!smoke && !partial) {
    await writeFile(resolve('bench/RESULTS.md'), report)
    for (const { file, svg } of charts)
      await writeFile(resolve('bench', file), svg)
    log(`written to bench/RESULTS.md, ${charts.map(c => `bench/${c.file}`).join(', ')}`)
  }
  else {
    log(`charts rendered, not written: ${charts.map(c => `${c.file} (${(c.svg.length / 1024).toFixed(1)} KiB)`).join(', ')}`)
  }
  log(`took ${((performance.now() - started) / 1000).toFixed(0)} s`)
  let status = 0
  if (results.failures.length > 0) {
    log(`✗ ${results.failures.length} run(s) failed: see above`)
    status = 1
  }
  for (const over of overBudget(sizes)) {
    log(`✗ ${over}`)
    status = 1
  }
  return status
}

const run = args.chat ? runChatBench({ smoke, rounds, log }) : main()
run.then((status) => {
  process.exitCode = status
}, (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exitCode = 1
})
