import type { BurstInfo, Plan, Selection, WorkloadInfo } from './plan'
import { Buffer } from 'node:buffer'
import { fold, SEED } from './checksum'

/** A workload's bytes, generated once, and how the server writes them. */
export interface Workload {
  info: WorkloadInfo
  body: Buffer
  /** Bytes per write; 0 writes the whole body at once. */
  piece: number
  /** For a paced stream: where each event ends in `body`, and events per second. */
  pacing?: { ends: number[], rate: number }
}

const KiB = 1024
const MiB = 1024 * KiB
const ONE_EVENT_PIECE = 16 * KiB

/** A deterministic pseudo-random sequence (a 32-bit LCG), so every run streams the same bytes. */
function sequence(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state
  }
}

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'AVGO']
const WORDS = ['the', ' quick', ' brown', ' fox', ' jumps', ' over', ' a', ' lazy', ' dog', ',', ' and', ' then', ' it', ' streams', ' tokens', '.', '\\n', ' again']
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Collects events as stream text while computing what a client must deliver. */
class StreamBuilder {
  private parts: string[] = []
  count = 0
  checksum = SEED
  lastEventId = ''

  add(data: string, fields: { id?: string, event?: string } = {}): void {
    let text = ''
    if (fields.event !== undefined)
      text += `event: ${fields.event}\n`
    if (fields.id !== undefined) {
      text += `id: ${fields.id}\n`
      this.lastEventId = fields.id
    }
    for (const line of data.split('\n'))
      text += `data: ${line}\n`
    this.parts.push(`${text}\n`)
    this.count++
    this.checksum = fold(this.checksum, data)
  }

  /** Each event's text, for a paced stream that needs the boundaries. */
  texts(): readonly string[] {
    return this.parts
  }

  finish(id: string, title: string, eventType: string, maxEventSize: number, piece = 0): Workload {
    const body = Buffer.from(this.parts.join(''), 'utf8')
    return {
      info: { id, title, path: `/stream/${id}`, count: this.count, bytes: body.length, checksum: this.checksum, lastEventId: this.lastEventId, eventType, readPiece: piece, maxEventSize },
      body,
      piece,
    }
  }
}

/** `count` small JSON ticker events, each with an `id:`. */
export function ticks(id: string, count: number): Workload {
  const next = sequence(1)
  const stream = new StreamBuilder()
  for (let n = 1; n <= count; n++) {
    const r = next()
    const price = (100 + (r % 90_000) / 100).toFixed(2)
    stream.add(`{"sym":"${SYMBOLS[r & 7]}","px":${price},"qty":${1 + (r >>> 8) % 500},"n":${n}}`, { id: String(n) })
  }
  return stream.finish(id, `${count.toLocaleString('en-US')} small JSON events with \`id\``, 'message', 4 * MiB)
}

/** `count` LLM-style `event: token` events. */
export function tokens(id: string, count: number): Workload {
  const next = sequence(2)
  const stream = new StreamBuilder()
  for (let n = 1; n <= count; n++)
    stream.add(`{"t":"${WORDS[next() % WORDS.length]}","n":${n}}`, { event: 'token' })
  return stream.finish(id, `${count.toLocaleString('en-US')} \`event: token\` events`, 'token', 4 * MiB)
}

/** A pseudo-random text of `length` characters ending in the 8-digit `n`. */
function payload(base: string, length: number, n: number): string {
  return base.slice(0, length - 8) + String(n).padStart(8, '0')
}

function letters(length: number, seed: number): string {
  const next = sequence(seed)
  const parts: string[] = []
  for (let i = 0; i < length; i++)
    parts.push(LETTERS[next() >>> 26]!)
  return parts.join('')
}

function size(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`
}

/** `count` events of `length` characters each, one `data:` line apiece. */
export function large(id: string, count: number, length: number): Workload {
  const base = letters(length, 3)
  const stream = new StreamBuilder()
  for (let n = 1; n <= count; n++)
    stream.add(payload(base, length, n))
  return stream.finish(id, `${count} events of ${size(length)}`, 'message', 4 * MiB)
}

/**
 * One event of `length` characters on one `data:` line, written and read in 16 KiB pieces (the fetch
 * clients' bodies are cut to 16 KiB reads; the browser's EventSource cannot be, so it sits this one out).
 */
export function oneEvent(id: string, length: number): Workload {
  const stream = new StreamBuilder()
  stream.add(payload(letters(length, 4), length, 1))
  return stream.finish(id, `one ${size(length)} event, read in ${size(ONE_EVENT_PIECE)} pieces`, 'message', 2 * length, ONE_EVENT_PIECE)
}

/** `count` events of 8 `data:` lines each. */
export function multiline(id: string, count: number): Workload {
  const next = sequence(5)
  const stream = new StreamBuilder()
  for (let n = 1; n <= count; n++) {
    const lines: string[] = []
    for (let row = 0; row < 8; row++)
      lines.push(`row ${row}:${WORDS[next() % WORDS.length]}${WORDS[next() % WORDS.length]} ${next() % 10_000}`)
    lines[7] += ` #${n}`
    stream.add(lines.join('\n'))
  }
  return stream.finish(id, `${count.toLocaleString('en-US')} events of 8 \`data:\` lines`, 'message', 4 * MiB)
}

/**
 * A stream paced at `rate` events per second for `ms`: an `id:` per event, and data that repeats in
 * pairs, so a ref that skips identical values shows it while handlers must still see both.
 */
export function burst(id: string, rate: number, ms: number): Workload & { info: BurstInfo } {
  const count = Math.round(rate * ms / 1000)
  const stream = new StreamBuilder()
  let checksum = SEED
  let lastData = ''
  for (let n = 1; n <= count; n++) {
    lastData = `{"v":${n >> 1}}`
    stream.add(lastData, { id: String(n) })
    checksum = fold(fold(checksum, lastData), String(n))
  }
  let end = 0
  const ends = stream.texts().map(text => (end += Buffer.byteLength(text)))
  const workload = stream.finish(id, `${count.toLocaleString('en-US')} events at ${rate.toLocaleString('en-US')}/s`, 'message', 4 * MiB)
  return {
    ...workload,
    info: { ...workload.info, path: `/burst/${id}`, checksum, rate, lastData },
    pacing: { ends, rate },
  }
}

/** Every workload of a run, full-size or for the smoke run, and the plan that describes them. */
export function generate(selection: Selection): { plan: Plan, workloads: Map<string, Workload> } {
  const { smoke, rounds, phases, clients } = selection
  const timed = smoke
    ? [ticks('ticks', 300), tokens('tokens', 200), large('large', 3, 32 * KiB), oneEvent('one-event', 256 * KiB), multiline('multiline', 100)]
    : [ticks('ticks', 200_000), tokens('tokens', 100_000), large('large', 200, 256 * KiB), oneEvent('one-event', 16 * MiB), multiline('multiline', 50_000)]
  const warmup = smoke
    ? []
    : [ticks('warm-ticks', 5_000), tokens('warm-tokens', 5_000), large('warm-large', 8, 256 * KiB), oneEvent('warm-one-event', MiB), multiline('warm-multiline', 2_000)]
  const scaling = smoke
    ? [oneEvent('scale-64k', 64 * KiB), timed[3]!]
    : [oneEvent('scale-1m', MiB), oneEvent('scale-4m', 4 * MiB), timed[3]!]
  const paced = smoke ? burst('burst', 20_000, 200) : burst('burst', 100_000, 2_000)
  const workloads = new Map<string, Workload>()
  for (const workload of [...timed, ...warmup, ...scaling, paced])
    workloads.set(workload.info.id, workload)
  return {
    plan: {
      smoke,
      phases,
      clients,
      rounds,
      workloads: timed.map(w => w.info).filter(w => selection.workloads.length === 0 || selection.workloads.includes(w.id)),
      warmup: warmup.map(w => w.info).filter(w => selection.workloads.length === 0 || selection.workloads.includes(w.id.replace('warm-', ''))),
      scaling: scaling.map(w => w.info),
      memory: timed[3]!.info,
      burst: paced.info,
      timeout: smoke ? 20_000 : 120_000,
    },
    workloads,
  }
}
