import type { SpecCase } from '../fixtures/corpus'
import type { Comparison } from './differential'
import fc from 'fast-check'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { commands } from 'vitest/browser'
import { bytesOf, corpus } from '../fixtures/corpus'
import { cutAt, generatedStream, lastRetry, streamBytes, streamChunks } from '../fixtures/generatedStreams'
import { print } from '../support/print'
import { base64, compare, disagreements, pool, stream } from './differential'

const seed = inject('conformanceSeed')
const RUNS = 240
// docs/spec.md: parsing and Last-Event-ID follow the spec, checked against Chromium's own EventSource.
// Both clients first read a stream that only sets the reconnection time, so neither waits Chromium's
// default 3 s, then the case's bytes, then a 204 that stops both.
const PRELUDE = 'retry: 10\n\n'
const script = (chunks: Uint8Array[]): Parameters<typeof compare>[0] => [stream(PRELUDE), { chunks: chunks.map(base64) }]

/**
 * Where Chromium 156 departs from the spec, so the corpus' expectation (the spec's) holds for ours only.
 * "9.2.6: the stream is `[ bom ] *event`; a lone LF or CR right after the BOM is a blank line." Chromium
 * instead ignores the line that follows it.
 */
const chromiumDeviations: Record<string, string> = {
  'bom-then-lf-is-a-blank-line': 'Chromium ignores the line after a byte order mark followed by a lone LF',
  'bom-then-cr-is-a-blank-line': 'Chromium ignores the line after a byte order mark followed by a lone CR',
}

/** Whether a stream starts with one byte order mark and a lone LF or CR (see chromiumDeviations). */
function bomThenLoneBreak(bytes: Uint8Array): boolean {
  const bom = bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF
  return bom && !(bytes[3] === 0xEF && bytes[4] === 0xBB) && (bytes[3] === 0x0A || (bytes[3] === 0x0D && bytes[4] !== 0x0A))
}

/** The same chunks without the leading byte order mark (which the spec says to ignore). */
function withoutBom(chunks: Uint8Array[]): Uint8Array[] {
  let skip = 3
  return chunks.map((chunk) => {
    const cut = Math.min(skip, chunk.length)
    skip -= cut
    return chunk.subarray(cut)
  }).filter(chunk => chunk.length > 0)
}

/** A Last-Event-ID as the server reads it: UTF-8 bytes read one per character, outer spaces stripped (RFC 9110). */
function headerSeen(id: string): string | null {
  return id === '' ? null : String.fromCharCode(...new TextEncoder().encode(id)).replace(/^[ \t]+|[ \t]+$/g, '')
}

const expectedEvents = (specCase: SpecCase): string => JSON.stringify(specCase.events)
function ended(comparison: Comparison): boolean {
  return JSON.stringify(comparison.native.errors) === JSON.stringify(['error (reconnecting)', 'error (reconnecting)', 'error (closed)'])
    && comparison.ours.errors.length === 0
}

const figures: Record<string, unknown> = { chromium: navigator.userAgent.match(/Chrom\w+\/[\d.]+/)?.[0], seed }
afterAll(async () => {
  await commands.writeFile('.vitest-report/figures-conformance.json', `${JSON.stringify(figures, null, 2)}\n`)
})

describe('the native EventSource of Chromium and ours, fed the same bytes', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('dispatch the same events and send the same Last-Event-ID for every spec corpus case, whole and in random chunks; [NON-SPEC] ours reports no error when a stream ends or answers 204', async () => {
    const cuts = fc.sample(fc.array(fc.nat({ max: 10_000 }), { maxLength: 8 }), { seed, numRuns: corpus.length })
    const variants = corpus.flatMap((specCase, i) => [
      { name: `${specCase.name} (whole)`, specCase, chunks: [bytesOf(specCase)] },
      { name: `${specCase.name} (chunks)`, specCase, chunks: cutAt(bytesOf(specCase), cuts[i]!.map(n => n % bytesOf(specCase).length)) },
    ])
    const results = await pool(variants, 6, async ({ chunks }) => compare(script(chunks)))
    const report = results.map((comparison, i) => {
      const { name, specCase } = variants[i]!
      const deviation = chromiumDeviations[specCase.name]
      const lastId = headerSeen(specCase.lastEventId)
      const problems = deviation === undefined
        ? [
            ...disagreements(comparison, [10, specCase.retries?.at(-1) ?? 10]),
            ...(JSON.stringify(comparison.native.events) === expectedEvents(specCase) ? [] : ['Chromium differs from the corpus']),
          ]
        : [
            ...(JSON.stringify(comparison.native.events) !== expectedEvents(specCase) ? [] : [`Chromium no longer deviates: "${deviation}" can go`]),
          ]
      if (JSON.stringify(comparison.ours.events) !== expectedEvents(specCase))
        problems.push(`ours differs from the corpus: ${JSON.stringify(comparison.ours.events)}`)
      if (JSON.stringify(comparison.ours.lastEventIds) !== JSON.stringify([null, null, lastId]))
        problems.push(`ours sent Last-Event-ID ${JSON.stringify(comparison.ours.lastEventIds)}`)
      if (!ended(comparison))
        problems.push(`errors: Chromium ${comparison.native.errors}, ours ${comparison.ours.errors}`)
      return { name, problems, deviation }
    })
    const agree = report.filter(r => r.deviation === undefined && r.problems.length === 0).length
    figures.corpus = { comparisons: report.length, agree, chromiumDeviates: report.filter(r => r.deviation).map(r => r.name) }
    print(`conformance corpus: ${report.length} comparisons, ${agree} agree with Chromium and the spec; ${report.filter(r => r.deviation).length} where Chromium deviates from the spec and ours follows it`)
    expect(report.filter(r => r.problems.length > 0).map(r => `${r.name}: ${r.problems.join('; ')}`)).toEqual([])
  }, 120_000)

  it(`agree on ${RUNS} generated streams: random fields, comments, BOMs, CR/LF/CRLF, multi-byte and invalid UTF-8, random chunks`, async () => {
    const streams = fc.sample(generatedStream, { seed, numRuns: RUNS })
    const results = await pool(streams, 6, async (generated) => {
      const chunks = streamChunks(generated)
      // For Chromium's named deviation, Chromium reads the stream without its byte order mark.
      return compare(script(chunks), bomThenLoneBreak(streamBytes(generated)) ? script(withoutBom(chunks)) : undefined)
    })
    const report = results.map((comparison, i) => {
      const generated = streams[i]!
      const problems = disagreements(comparison, [10, lastRetry(generated) ?? 10])
      if (!ended(comparison))
        problems.push(`errors: Chromium ${comparison.native.errors}, ours ${comparison.ours.errors}`)
      return { bytes: streamBytes(generated), problems }
    })
    const deviating = report.filter(r => bomThenLoneBreak(r.bytes)).length
    figures.generated = { streams: report.length, agree: report.filter(r => r.problems.length === 0).length, comparedWithoutBom: deviating }
    print(`conformance generated (seed ${seed}, CONFORMANCE_SEED to change): ${report.length} streams, ${report.filter(r => r.problems.length === 0).length} agree (${deviating} of them compared with Chromium reading the stream without its BOM)`)
    expect(report.filter(r => r.problems.length > 0).map(r => `${JSON.stringify(new TextDecoder().decode(r.bytes))} ${JSON.stringify(Array.from(r.bytes))}: ${r.problems.join('; ')}`)).toEqual([])
  }, 300_000)
})
