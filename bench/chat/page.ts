import type { ChatPlan, ChatReport, ChatSample } from '../chatServer'
import type { ChatHandle } from './clients'
import { createApp } from 'vue'
import { OursChat, TheirsChat } from './clients'

// The chat bench's page: for each stream and round, both chats, one after the other (ours first in even
// rounds, theirs first in odd ones), each mounted afresh, asked one question, and unmounted. Around each
// run the server reads the renderer's main-thread CPU time (/cpu); a MutationObserver stamps the last
// change to the list, and the server says when it wrote the last delta (/last-write). The results go back
// in one POST /report.
const status = document.querySelector('#status')!
const gc = (globalThis as { gc?: () => void }).gc
/** Time for what a run leaves queued (the last flush, the stream's teardown) to run inside its window. */
const SETTLE_MS = 50

const readCpu = async (): Promise<number> => await (await fetch('/cpu')).json() as number
const wait = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const answerOf = (deltas: number): string => Array.from({ length: deltas }, (_, i) => `w${i + 1} `).join('')

async function runOnce(client: 'ours' | 'theirs', stream: ChatPlan['streams'][number], round: number, expected: string, deltas: number): Promise<ChatSample> {
  const host = document.createElement('div')
  document.body.append(host)
  let lastMutation = Number.NaN
  const observer = new MutationObserver(() => (lastMutation = performance.now()))
  observer.observe(host, { subtree: true, childList: true, characterData: true })
  gc?.()
  const before = await readCpu()
  const app = createApp(client === 'ours' ? OursChat : TheirsChat, { api: `/api/chat${stream.delay === null ? '' : `?delay=${stream.delay}`}` })
  const chat = app.mount(host) as unknown as ChatHandle
  let problem: string | undefined
  const started = performance.now()
  try {
    const seen = await chat.send('hi')
    if (seen !== null && seen !== deltas)
      problem = `${seen} text deltas handled, ${deltas} sent`
  }
  catch (error) {
    problem = `failed: ${error instanceof Error ? error.message : String(error)}`
  }
  await wait(SETTLE_MS)
  const after = await readCpu()
  observer.disconnect()
  const wrote = await (await fetch('/last-write')).json() as number
  const shown = host.querySelector('[data-role="assistant"]')?.textContent ?? ''
  if (problem === undefined && shown !== expected)
    problem = `the list shows ${shown.length} characters of the answer's ${expected.length}${expected.startsWith(shown) ? '' : ', not a prefix of it'}`
  app.unmount()
  host.remove()
  return { stream: stream.id, client, round, mainThreadMs: (after - before) / 1e6, lastDeltaMs: lastMutation - started, afterWriteMs: performance.timeOrigin + lastMutation - wrote, ok: problem === undefined, ...(problem === undefined ? {} : { problem }) }
}

/** The same window with no chat in it: what the measurement itself costs. */
async function idle(): Promise<number> {
  gc?.()
  const before = await readCpu()
  await wait(SETTLE_MS)
  return (await readCpu() - before) / 1e6
}

async function main(): Promise<ChatReport> {
  const plan = await (await fetch('/chat-plan.json')).json() as ChatPlan
  const expected = answerOf(plan.deltas)
  const report: ChatReport = { samples: [], idleMs: [], userAgent: navigator.userAgent }
  for (let round = -plan.warmups; round < plan.rounds; round++) {
    const order = (round & 1) === 0 ? (['ours', 'theirs'] as const) : (['theirs', 'ours'] as const)
    for (const stream of plan.streams) {
      for (const client of order) {
        status.textContent = `round ${round}, ${stream.id}, ${client}`
        const sample = await runOnce(client, stream, round, expected, plan.deltas)
        if (round >= 0 || !sample.ok)
          report.samples.push(sample)
      }
    }
    if (round >= 0)
      report.idleMs.push(await idle())
  }
  return report
}

async function send(report: ChatReport): Promise<void> {
  status.textContent = 'done'
  await fetch('/report', { method: 'POST', body: JSON.stringify(report) })
}

main().then(send, (error: unknown) => send({ samples: [], idleMs: [], userAgent: navigator.userAgent, failure: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }))
