import type { Plan, Report } from '../plan'
import { runSuite } from '../suite'
import { browserEnv } from './browserEnv'

// The bench page: fetch the plan, run the suite, and POST the results back in batches between runs.
// The browser is started directly, not driven over CDP, so no DevTools domain slows it down.
const status = document.querySelector('#status')!
let batch: Report[] = []

async function flush(): Promise<void> {
  const body = batch.map(report => JSON.stringify(report)).join('\n')
  batch = []
  await fetch('/report', { method: 'POST', body })
}

async function send(report: Report): Promise<void> {
  batch.push(report)
  status.textContent = JSON.stringify(report)
  if (report.kind === 'done' || report.kind === 'failure' || batch.length >= 20)
    await flush()
}

function fail(error: unknown): void {
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)
  void send({ kind: 'failure', failure: { env: 'chromium', workload: '-', client: 'page', round: -1, message } }).then(() => send({ kind: 'done', env: 'chromium' }))
}

addEventListener('error', event => fail(event.error ?? event.message))
addEventListener('unhandledrejection', event => fail(event.reason))

async function main(): Promise<void> {
  const plan = await (await fetch('/plan.json')).json() as Plan
  await send({ kind: 'info', env: 'chromium', key: 'userAgent', value: navigator.userAgent })
  await send({ kind: 'info', env: 'chromium', key: 'liveHeap', value: String(browserEnv.liveHeap !== null) })
  await runSuite(browserEnv, plan, location.origin, send)
}

main().catch(fail)
