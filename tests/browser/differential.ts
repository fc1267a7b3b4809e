import type { ReplayResponse } from '../server/replay'
import { createEventSource } from '../../src/core/index'
import { server, stats, uniqueKey } from './stats'

export type Dispatched = [type: string, data: string, lastEventId: string]

/** What one client did with a staged script, as the page and the server saw it. */
export interface Run {
  events: Dispatched[]
  /** The `Last-Event-ID` header of each request the server received (`null` for none). */
  lastEventIds: (string | null)[]
  /** Milliseconds from the end of each response to the next request. */
  gaps: number[]
  /** `error` events (native) or reported errors (ours), by kind. */
  errors: string[]
  /** The client closed for good (CLOSED) within the time allowed. */
  closed: boolean
}

export interface Comparison {
  native: Run
  ours: Run
}

const encoder = new TextEncoder()
const LINE_BREAK = /\r\n|\r|\n/

/** Base64 of some bytes, to stage them through JSON. */
export function base64(bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? encoder.encode(bytes) : bytes
  let binary = ''
  for (const byte of data)
    binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** A 200 event-stream response made of these chunks. */
export function stream(...chunks: (Uint8Array | string)[]): ReplayResponse {
  return { chunks: chunks.map(base64) }
}

/**
 * Every event type a stream could dispatch (native `EventSource` only reports types it has listeners for):
 * the value of each `event` field, found as the spec finds it, after a lenient UTF-8 decode.
 */
export function eventTypes(responses: ReplayResponse[]): string[] {
  const types = new Set(['message'])
  const decoder = new TextDecoder()
  for (const response of responses) {
    const text = decoder.decode(Uint8Array.from((response.chunks ?? []).flatMap(chunk => Array.from(atob(chunk), c => c.charCodeAt(0)))))
    for (const line of text.split(LINE_BREAK)) {
      if (line.startsWith('event:'))
        types.add(line.slice(line.startsWith('event: ') ? 7 : 6))
    }
  }
  types.delete('')
  return [...types]
}

async function stage(responses: ReplayResponse[]): Promise<string> {
  const id = uniqueKey()
  const answer = await fetch(server.route('stage'), { method: 'POST', body: JSON.stringify({ id, responses }) })
  if (!answer.ok)
    throw new Error(`staging failed: ${answer.status}`)
  return id
}

async function traffic(key: string): Promise<Pick<Run, 'lastEventIds' | 'gaps'>> {
  const { requests } = await stats(key)
  const header = (value: string | string[] | undefined): string | null => typeof value === 'string' ? value : null
  return {
    lastEventIds: requests.map(r => header(r.headers['last-event-id'])),
    gaps: requests.slice(1).map((r, i) => r.at - (requests[i]!.endedAt ?? Number.NaN)),
  }
}

const until = (timeout: number): Promise<void> => new Promise(resolve => setTimeout(resolve, timeout))

/** Chromium's own EventSource reads the script until it closes for good (or `timeout` passes). */
async function native(url: string, types: string[], timeout: number): Promise<Omit<Run, 'lastEventIds' | 'gaps'>> {
  const source = new EventSource(url)
  const events: Dispatched[] = []
  const errors: string[] = []
  const onEvent = (event: Event): void => {
    // A stream may name an event "error" or "open": those arrive as MessageEvents.
    if (event instanceof MessageEvent)
      events.push([event.type, String(event.data), event.lastEventId])
  }
  for (const type of types)
    source.addEventListener(type, onEvent)
  const closed = new Promise<boolean>((resolve) => {
    source.addEventListener('error', (event) => {
      if (event instanceof MessageEvent)
        return
      errors.push(source.readyState === EventSource.CLOSED ? 'error (closed)' : 'error (reconnecting)')
      if (source.readyState === EventSource.CLOSED)
        resolve(true)
    })
  })
  const done = await Promise.race([closed, until(timeout).then(() => false)])
  source.close()
  return { events, errors, closed: done }
}

/** Our client, with a 1 ms base delay so that the stream's `retry:` decides, and no jitter. */
async function ours(url: string, timeout: number): Promise<Omit<Run, 'lastEventIds' | 'gaps'>> {
  const events: Dispatched[] = []
  const errors: string[] = []
  const client = createEventSource(url, {
    reconnect: { delay: 1, jitter: 0 },
    onMessage: m => events.push([m.event, m.raw, m.lastEventId]),
    onError: e => errors.push(e.type),
  })
  const closed = new Promise<boolean>((resolve) => {
    client.subscribe((state) => {
      if (state.readyState === 2)
        resolve(true)
    })
  })
  client.open()
  const done = await Promise.race([closed, until(timeout).then(() => false)])
  client.close()
  return { events, errors, closed: done }
}

/**
 * Serves the same script to both clients at once, each on its own key, and records what each did.
 * `nativeResponses` replaces the script for Chromium only where a test names why.
 */
export async function compare(responses: ReplayResponse[], nativeResponses = responses, timeout = 15_000): Promise<Comparison> {
  const script = await stage(responses)
  const nativeScript = nativeResponses === responses ? script : await stage(nativeResponses)
  const key = uniqueKey()
  const url = (who: string, id: string): string => server.route('replay', { script: id, key: `${key}-${who}` })
  const [nativeRun, oursRun] = await Promise.all([
    native(url('native', nativeScript), eventTypes(nativeResponses), timeout),
    ours(url('ours', script), timeout),
  ])
  return {
    native: { ...nativeRun, ...await traffic(`${key}-native`) },
    ours: { ...oursRun, ...await traffic(`${key}-ours`) },
  }
}

/** Runs `task` over `items`, at most `limit` at a time (Chromium opens 6 connections per server). */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = Array.from({ length: items.length })
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * Where the two runs differ in what they dispatched or sent back, or where either waited less than the
 * reconnection time before a request (`leastGaps[i]` before request i + 1). Empty when they agree.
 */
export function disagreements({ native, ours }: Comparison, leastGaps: number[]): string[] {
  const found: string[] = []
  const show = (value: unknown): string => JSON.stringify(value)
  if (show(native.events) !== show(ours.events))
    found.push(`events: Chromium ${show(native.events)}, ours ${show(ours.events)}`)
  if (show(native.lastEventIds) !== show(ours.lastEventIds))
    found.push(`Last-Event-ID per request: Chromium ${show(native.lastEventIds)}, ours ${show(ours.lastEventIds)}`)
  for (const [who, run] of [['Chromium', native], ['ours', ours]] as const) {
    if (!run.closed)
      found.push(`${who} did not close`)
    run.gaps.forEach((gap, i) => {
      if (!(gap >= (leastGaps[i] ?? 0)))
        found.push(`${who} sent request ${i + 2} after ${gap} ms, before the reconnection time of ${leastGaps[i]} ms`)
    })
  }
  return found
}
