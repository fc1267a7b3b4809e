import type { ChaosEntry, Fault } from '../server/chaos'
import type { Observed } from './chaosDriver'
import { chaosData, FAULTS } from '../server/chaos'

/** The reconnect policy the chaos clients use. */
export const POLICY = { delay: 5, maxDelay: 50, jitter: 0.5 }

/** What one stream proved, and anything it failed to. */
export interface Verdict {
  problems: string[]
  faults: Record<Fault, number>
  delivered: number
  lost: number
  duplicated: number
  schedules: number
  longestDelay: number
}

// The error each fault must produce, in order (none for a clean end, a 204 or a 401 cured by a fresh token).
function expectedErrors(entry: ChaosEntry): string[] {
  switch (entry.fault) {
    case 'cut': return ['network']
    case '5xx':
    case '5xx-retry-after': return [`http-status ${entry.status}`]
    case 'stall': return ['heartbeat-timeout']
    case 'wrong-type': return ['content-type']
    case 'stale-token': return ['http-status 401']
    default: return []
  }
}

/** The Retry-After the client must have read, as [least, most] milliseconds. */
function retryAfterRange(header: string): [number, number] {
  return header === '0' ? [0, 0] : header === '1' ? [1000, 1000] : [0, 1600]
}

// Faults after which the client schedules a reconnection (the others close it, or retry at once).
const SCHEDULED: ReadonlySet<string> = new Set(['cut', '5xx', '5xx-retry-after', 'stall', 'trickle', 'finish'])

/** Checks one stream's observations against the server's log of the same stream. */
export function check(log: ChaosEntry[], observed: Observed, events: number): Verdict {
  const problems: string[] = []
  const faults = Object.fromEntries(FAULTS.map(f => [f, 0])) as Record<Fault, number>
  for (const entry of log) {
    if (entry.fault in faults)
      faults[entry.fault as Fault]++
  }

  // Every event exactly once, in order, with its data intact.
  const ids = observed.messages.map(m => m.id)
  const seen = new Set(ids)
  const lost = Array.from({ length: events }, (_, i) => i + 1).filter(id => !seen.has(id)).length
  const duplicated = ids.length - seen.size
  if (ids.some((id, i) => id !== i + 1))
    problems.push(`events out of order or missing: ${JSON.stringify(ids.filter((id, i) => id !== i + 1).slice(0, 5))}…`)
  const corrupted = observed.messages.filter(m => m.data !== chaosData(m.id))
  if (corrupted.length > 0)
    problems.push(`event data corrupted: ${JSON.stringify(corrupted.slice(0, 3))}`)

  // Each fault gave its error, in order, and nothing else went wrong.
  const expected = log.flatMap(expectedErrors)
  const actual = observed.errors.map(e => e.kind)
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    const at = actual.findIndex((kind, i) => kind !== expected[i])
    problems.push(`errors differ from the faults at #${at}: expected ${JSON.stringify(expected.slice(at, at + 3))}, got ${JSON.stringify(actual.slice(at, at + 3))}`)
  }
  const withRetryAfter = log.filter(e => e.retryAfter !== undefined)
  const readRetryAfter = observed.errors.filter(e => e.kind.startsWith('http-status'))
  withRetryAfter.forEach((entry) => {
    const index = log.filter(e => e.status !== undefined).indexOf(entry)
    const [least, most] = retryAfterRange(entry.retryAfter!)
    const read = readRetryAfter[index]?.retryAfter
    if (!(read !== null && read !== undefined && read >= least && read <= most))
      problems.push(`Retry-After ${entry.retryAfter} was read as ${read}`)
  })

  // Every scheduled delay follows the policy: exponential from the base, capped, jitter on top, Retry-After a floor.
  for (const s of observed.schedules) {
    const base = Math.min(POLICY.maxDelay, POLICY.delay * 2 ** (s.attempt - 1))
    const floor = s.retryAfter ?? 0
    if (s.attempt !== s.expectedAttempt)
      problems.push(`attempt ${s.attempt} after ${s.expectedAttempt} failures in a row`)
    if (!(s.delay >= Math.max(base, floor) && s.delay <= Math.max(base * (1 + POLICY.jitter), floor)))
      problems.push(`attempt ${s.attempt} waits ${s.delay} ms, outside [${Math.max(base, floor)}, ${Math.max(base * (1 + POLICY.jitter), floor)}]`)
  }
  const scheduledAfter = log.filter(e => SCHEDULED.has(e.fault))
  if (scheduledAfter.length !== observed.schedules.length)
    problems.push(`${observed.schedules.length} reconnections scheduled for ${scheduledAfter.length} faults that call for one`)

  // What each request carried, and when it came.
  log.forEach((entry, i) => {
    const delivered = observed.messages.filter(m => m.at <= entry.at).at(-1)
    const id = delivered === undefined ? null : String(delivered.id)
    if (entry.lastEventId !== id)
      problems.push(`request ${i} sent Last-Event-ID ${entry.lastEventId}, the last event delivered was ${id}`)
    const previous = log[i - 1]
    if (previous === undefined)
      return
    if (SCHEDULED.has(previous.fault)) {
      const schedule = observed.schedules[scheduledAfter.indexOf(previous)]
      // Against the client's own due time (retryAt), not the time its state reached the test's listener,
      // which a loaded machine delays (a clean-clone run saw a request "5 ms early" that way). 3 ms of
      // slack: Node's timers run on a millisecond clock read once per loop turn.
      if (schedule !== undefined && entry.at < schedule.due - 3)
        problems.push(`request ${i} came ${Math.round(schedule.due - entry.at)} ms before its scheduled time`)
    }
    if (previous.fault === '204' || previous.fault === 'wrong-type') {
      const reopen = observed.reopens.find(at => at > previous.at)
      if (reopen === undefined || entry.at < reopen)
        problems.push(`request ${i} came after a ${previous.fault} before the application reopened`)
    }
    if (previous.fault === '401' && (entry.token === previous.token || entry.fault === 'stale-token'))
      problems.push(`request ${i} after a 401 did not carry a fresh token`)
  })

  // Each forced close ended in the right state.
  const forced = log.filter(e => e.fault === '204' || e.fault === 'wrong-type' || e.fault === 'done')
  const closes = observed.closes.map(c => c.error)
  const wanted = forced.map(e => e.fault === 'wrong-type' ? 'content-type' : null)
  if (JSON.stringify(closes) !== JSON.stringify(wanted))
    problems.push(`closed with ${JSON.stringify(closes)}, expected ${JSON.stringify(wanted)}`)
  if (observed.refreshes !== faults['401'])
    problems.push(`${observed.refreshes} token refreshes for ${faults['401']} 401s`)
  if (log.at(-1)?.fault !== 'done')
    problems.push(`the stream did not end with the final 204 (last: ${log.at(-1)?.fault})`)

  return { problems, faults, delivered: ids.length, lost, duplicated, schedules: observed.schedules.length, longestDelay: Math.max(0, ...observed.schedules.map(s => s.delay)) }
}
