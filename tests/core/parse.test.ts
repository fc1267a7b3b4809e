// Tests here hold promises of docs/guide/errors.md (listed in tests/fixtures/promises/).
import type { SpecCase } from '../fixtures/corpus'
import process from 'node:process'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EventSourceError } from '../../src/core/errors'
import { createEventStreamParser } from '../../src/core/parse'
import { bytesOf, corpus } from '../fixtures/corpus'

interface Outcome {
  events: [string, string, string][]
  lastEventId: string
  retries: number[]
}

/** Feeds the stream's bytes, cut at `cuts`, through a streaming UTF-8 decoder into a parser, as the client does. */
function run(bytes: Uint8Array, cuts: number[], initialId = ''): Outcome {
  const outcome: Outcome = { events: [], lastEventId: '', retries: [] }
  const parser = createEventStreamParser({
    onEvent: (type, data, id) => outcome.events.push([type, data, id]),
    onRetry: ms => outcome.retries.push(ms),
  })
  parser.reset(initialId)
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  let from = 0
  for (const cut of [...cuts, bytes.length]) {
    parser.feed(decoder.decode(bytes.subarray(from, cut), { stream: true }))
    from = cut
  }
  outcome.lastEventId = parser.lastEventId
  return outcome
}

function expected(specCase: SpecCase): Outcome {
  return { events: specCase.events, lastEventId: specCase.lastEventId, retries: specCase.retries ?? [] }
}

function everyByte(length: number): number[] {
  return Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1)
}

// docs/guide/core.md (`createEventStreamParser`, fed decoded text in pieces split anywhere) and docs/spec.md
// ("The parser": each corpus case fed whole, byte by byte and at random split points).
// Promised in README.md (tests/fixtures/promises/).
describe('event-stream parser against the spec corpus', () => {
  for (const specCase of corpus) {
    const bytes = bytesOf(specCase)
    it(`${specCase.name}: whole`, () => {
      expect(run(bytes, [])).toEqual(expected(specCase))
    })
    it(`${specCase.name}: one byte at a time`, () => {
      expect(run(bytes, everyByte(bytes.length))).toEqual(expected(specCase))
    })
    it(`${specCase.name}: random split points`, () => {
      fc.assert(fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 12 }),
        (cuts) => {
          expect(run(bytes, cuts.sort((a, b) => a - b))).toEqual(expected(specCase))
        },
      ), { numRuns: 60 })
    })
  }
})

describe('event-stream parser state', () => {
  it('starts a new stream from the last event ID it is reset with, as Chromium does', () => {
    const outcome = run(new TextEncoder().encode('data: x\n\n'), [], '41')
    expect(outcome.events).toEqual([['message', 'x', '41']])
  })

  it('reset drops a half-received line and event', () => {
    const seen: string[] = []
    const parser = createEventStreamParser({ onEvent: (_, data) => seen.push(data), onRetry: () => {} })
    parser.reset('')
    parser.feed('data: lost\ndata: half')
    parser.reset('')
    parser.feed('data: kept\n\n')
    expect(seen).toEqual(['kept'])
  })

  it('a CR that ends one piece and a LF that starts the next are one line break', () => {
    const seen: string[] = []
    const parser = createEventStreamParser({ onEvent: (_, data) => seen.push(data), onRetry: () => {} })
    parser.reset('')
    for (const piece of ['data: a\r', '\n', 'data: b\r', '', '\ndata: c\r', '\r'])
      parser.feed(piece)
    expect(seen).toEqual(['a\nb\nc'])
  })

  it('throws event-too-large for a line longer than maxEventSize, however it is split', () => {
    const parser = createEventStreamParser({ onEvent: () => {}, onRetry: () => {} }, 1000)
    parser.reset('')
    parser.feed('data: ')
    const feedMore = (): void => {
      for (let i = 0; i < 200; i++)
        parser.feed('xxxxxxxxxx')
    }
    expect(feedMore).toThrow(EventSourceError)
    try {
      feedMore()
    }
    catch (error) {
      expect((error as EventSourceError).type).toBe('event-too-large')
      expect((error as EventSourceError).limit).toBe(1000)
    }
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('throws event-too-large for many data lines whose total passes maxEventSize', () => {
    const parser = createEventStreamParser({ onEvent: () => {}, onRetry: () => {} }, 100)
    parser.reset('')
    expect(() => parser.feed('data: 0123456789\n'.repeat(20))).toThrow(/maxEventSize/)
  })

  it('throws event-too-large for an event of one data line over maxEventSize that arrives whole, blank line and all', () => {
    const seen: string[] = []
    const parser = createEventStreamParser({ onEvent: (_, data) => seen.push(data), onRetry: () => {} }, 100)
    parser.reset('')
    expect(() => parser.feed(`data: ${'y'.repeat(101)}\n\n`)).toThrow(/maxEventSize/)
    expect(seen).toEqual([])
  })

  it('an event of one data line leaves no type, data or id behind for the next', () => {
    const seen: [string, string, string][] = []
    const parser = createEventStreamParser({ onEvent: (type, data, id) => seen.push([type, data, id]), onRetry: () => {} })
    parser.reset('')
    parser.feed('event: a\nid: 1\ndata: x\n\ndata: y\n\nid\ndata: z\ndata: w\n\n')
    expect(seen).toEqual([['a', 'x', '1'], ['message', 'y', '1'], ['message', 'z\nw', '']])
  })

  it('keeps events up to maxEventSize', () => {
    const seen: number[] = []
    const parser = createEventStreamParser({ onEvent: (_, data) => seen.push(data.length), onRetry: () => {} }, 100)
    parser.reset('')
    parser.feed(`data: ${'y'.repeat(90)}\n\n`)
    expect(seen).toEqual([90])
  })

  it('joins a long line sent in many pieces once, in linear time', () => {
    const seen: number[] = []
    const parser = createEventStreamParser({ onEvent: (_, data) => seen.push(data.length), onRetry: () => {} }, Infinity)
    parser.reset('')
    parser.feed('data: ')
    const piece = 'z'.repeat(16 * 1024)
    for (let i = 0; i < 256; i++)
      parser.feed(piece)
    parser.feed('\n\n')
    expect(seen).toEqual([4 * 1024 * 1024])
  })

  it('holds one copy of a big event when it delivers it: the pieces it joined are let go first', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const live = (): number => {
      gc()
      return process.memoryUsage().heapUsed
    }
    const size = 8 * 1024 * 1024
    const piece = new Uint8Array(16 * 1024).fill(0x7A)
    const decoder = new TextDecoder()
    let copies = Number.NaN
    let before = 0
    const parser = createEventStreamParser({ onEvent: (_, data) => (copies = (live() - before) / data.length), onRetry: () => {} }, Infinity)
    parser.reset('')
    before = live()
    parser.feed('data: ')
    // fresh strings, as a TextDecoder hands them over from the network
    for (let i = 0; i < size / piece.length; i++)
      parser.feed(decoder.decode(piece))
    parser.feed('\n\n')
    expect(copies).toBeGreaterThan(0.9)
    expect(copies).toBeLessThan(1.5)
  })
})
