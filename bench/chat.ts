import type { ChatPlan, ChatSample } from './chatServer'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { buildPage, chromiumVersion, startChromium } from './browser'
import { startChatServer } from './chatServer'
import { measureChatSizes } from './chatSize'
import { currentLoad, describeMachine } from './machine'
import { num, spread } from './stats'

// `npm run bench -- --chat [--rounds N] [--smoke]`: the chat workload. The AI SDK's UI message stream (a
// chat route on `ai`'s streamText with a mock model from ai/test, 2,000 text deltas) rendered into a message
// list, once by `useEventSource` with the docs' chat recipe and once by @ai-sdk/vue's `useChat`, in one
// Chromium page, the two alternating within each round. Prints its table and both bundle sizes; writes
// nothing. The smoke run (one round, part of `npm test`) checks only that both deliver every delta exactly.

const DELTAS = 2000

/** Median (min–max) of `values`, as the tables print them. */
function summary(values: readonly number[]): string {
  const s = spread(values)
  return s === null ? '–' : `${num(s.median)} (${num(s.min)}–${num(s.max)})`
}

function version(name: string): string {
  try {
    return (JSON.parse(readFileSync(resolve('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
  }
  catch {
    return '?'
  }
}

export async function runChatBench({ smoke, rounds, log }: { smoke: boolean, rounds: number, log: (line: string) => void }): Promise<number> {
  const machine = describeMachine(await chromiumVersion())
  const plan: ChatPlan = {
    deltas: DELTAS,
    rounds: smoke ? 1 : rounds,
    warmups: smoke ? 0 : 1,
    streams: [
      { id: 'paced', label: 'deltas 1 ms apart', delay: 1 },
      { id: 'burst', label: 'deltas as fast as the server makes them', delay: null },
    ],
  }
  const pageDir = resolve('.bench/chat')
  log('building the chat page (Vite production build)…')
  await buildPage(pageDir, 'bench/chat')
  const server = await startChatServer(plan, pageDir)
  log(`chat server at ${server.url}; ${plan.rounds} round(s) after ${plan.warmups} warm-up${smoke ? ', smoke run' : ''}`)
  const browser = await startChromium(`${server.url}/`)
  server.browserPid = browser.pid
  const limit = smoke ? 90_000 : 15 * 60_000
  const outcome = await Promise.race([
    server.report,
    browser.exited.then(code => `Chromium exited (${code}) before the page was done`),
    new Promise<string>(resolve => setTimeout(resolve, limit, `the page was not done within ${limit / 1000} s`).unref()),
  ])
  await browser.stop()
  await server.close()
  machine.loadAfter = currentLoad()
  if (typeof outcome === 'string' || outcome.failure !== undefined) {
    log(`✗ chat bench FAILED: ${typeof outcome === 'string' ? outcome : outcome.failure}`)
    return 1
  }

  const { samples, idleMs } = outcome
  const failed = samples.filter(sample => !sample.ok)
  for (const sample of failed)
    log(`✗ FAILED: ${sample.client}, ${sample.stream}, round ${sample.round}: ${sample.problem}`)
  const measured = samples.filter(sample => sample.round >= 0)
  const of = (stream: string, client: ChatSample['client']): ChatSample[] => measured.filter(s => s.stream === stream && s.client === client).sort((a, b) => a.round - b.round)
  const missing = plan.streams.some(stream => of(stream.id, 'ours').length !== plan.rounds || of(stream.id, 'theirs').length !== plan.rounds)
  if (missing)
    log('✗ FAILED: a client is missing runs')

  const measures: [string, (sample: ChatSample) => number][] = [
    ['main thread per delta (µs)', sample => sample.mainThreadMs * 1000 / DELTAS],
    ['request to the last delta on the DOM (ms)', sample => sample.lastDeltaMs],
    ['server\'s write of the last delta to the DOM (ms)', sample => sample.afterWriteMs],
  ]
  const rows = plan.streams.flatMap(stream => measures.map(([name, measure]) => {
    const ours = of(stream.id, 'ours').map(measure)
    const theirs = of(stream.id, 'theirs').map(measure)
    return `| ${stream.label} | ${name} | ${summary(ours)} | ${summary(theirs)} | ${summary(ours.map((x, i) => x / theirs[i]!))} |`
  }))
  const sizes = await measureChatSizes()
  log('')
  log(`Chat: ${DELTAS.toLocaleString('en')} text deltas of the AI SDK's UI message stream (ai ${version('ai')}, a mock model from ai/test) into a message list, in Chromium; ours: \`useEventSource\` with the docs' chat recipe; theirs: @ai-sdk/vue ${version('@ai-sdk/vue')} \`useChat\`. ${plan.rounds} round(s), the two alternating; medians (min–max); ratios are per round, ours ÷ theirs, below 1 is faster.`)
  log('')
  log('| stream | measure | ours | theirs | ours ÷ theirs |')
  log('| --- | --- | --- | --- | --- |')
  for (const row of rows)
    log(row)
  log('')
  log(`Main thread: the renderer main thread's CPU time (Linux schedstat) from before mounting the chat to 50 ms after its answer was complete, over ${DELTAS} deltas; the same window with no chat in it took ${summary(idleMs)} ms.`)
  log('The last delta on the DOM: the MutationObserver callback after the change that completed the answer; from just before send, and from when the server wrote that delta to its socket.')
  log('')
  log('| bundle (min+gzip, production, `vue` left out) | Vite (Rolldown) | esbuild |')
  log('| --- | --- | --- |')
  for (const row of sizes)
    log(`| ${row.name} | ${(row.gzip / 1024).toFixed(2)} KiB | ${(row.esbuildGzip / 1024).toFixed(2)} KiB |`)
  log('')
  log(`${machine.date}; ${machine.cpu}, ${machine.cores} cores, ${machine.os}; ${machine.chromium}; Node ${machine.node}; load ${machine.loadBefore.map(x => x.toFixed(2)).join(' ')} before, ${machine.loadAfter.map(x => x.toFixed(2)).join(' ')} after`)
  if (failed.length > 0 || missing)
    return 1
  log('Both chat clients delivered every delta exactly in every run.')
  return 0
}
