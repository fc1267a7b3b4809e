import fc from 'fast-check'

/** A piece of a line: text (sent as UTF-8) or raw bytes, which may be invalid UTF-8. */
export type Piece = string | number[]

/** One generated line and the line break that ends it (`''` only for an unterminated last line). */
export interface GeneratedLine {
  parts: Piece[]
  end: '\n' | '\r' | '\r\n' | ''
}

/** A random event stream: leading byte order marks, lines, and where the bytes are cut into chunks. */
export interface GeneratedStream {
  boms: number
  lines: GeneratedLine[]
  /** Cut positions, as numbers to take modulo the stream's length. */
  cuts: number[]
}

// Bytes that are not valid UTF-8: a lone continuation byte, truncated sequences, an encoded surrogate,
// an overlong form, a byte never used in UTF-8.
const invalidBytes: number[][] = [[0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xFF]]
// Characters that may travel back in a Last-Event-ID header (an HTTP stack refuses other controls).
const safeChars = ['a', 'b', 'Z', '1', '0', ' ', '  ', ':', ': ', '\t', 'é', '€', '😀', '日', '\uFEFF', '\0', '\uFFFD']
// Data is never sent back, so it may carry any control character.
const dataChars = [...safeChars, '\x01', '\x0B', '\x0C', '\x1B', '\x7F', '\u2028', '\u0085']

function piece(chars: string[]): fc.Arbitrary<Piece> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...chars) },
    { weight: 1, arbitrary: fc.constantFrom(...invalidBytes) },
  )
}
const value = (chars: string[]): fc.Arbitrary<Piece[]> => fc.array(piece(chars), { maxLength: 6 })
const separator = fc.constantFrom('', ':', ': ', ':  ', ':\t')

const eventNames = ['', 'a', 'notice', 'message', 'error', 'open', 'é', 'a b', 'a:b', 'Event']

const lineBody: fc.Arbitrary<Piece[]> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(': ', ':', ''), value(dataChars)).map(([sep, v]) => [`data${sep}`, ...v]) },
  { weight: 4, arbitrary: fc.constant<Piece[]>([]) },
  { weight: 2, arbitrary: fc.tuple(separator, fc.constantFrom(...eventNames)).map(([sep, name]) => [`event${sep}${name}`]) },
  { weight: 2, arbitrary: fc.tuple(separator, value(safeChars)).map(([sep, v]) => [`id${sep}`, ...v]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(': ', ':'), fc.integer({ min: 0, max: 40 }), fc.constantFrom('', '0', '00')).map(([sep, n, zeros]) => [`retry${sep}${zeros}${n}`]) },
  { weight: 1, arbitrary: fc.constantFrom('retry', 'retry:', 'retry: ', 'retry:  5', 'retry: 5a', 'retry: -1', 'retry: 1.5', 'retry: 1e1', 'retry: ５').map(text => [text]) },
  { weight: 2, arbitrary: value(dataChars).map(v => [':', ...v]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('Data', 'DATA', 'data ', ' data', 'foo', 'id ', 'event ', 'dat', 'datas', 'x'), separator, value(safeChars)).map(([name, sep, v]) => [`${name}${sep}`, ...v]) },
)

const lineEnd = fc.constantFrom<GeneratedLine['end']>('\n', '\n', '\n', '\r', '\r\n')

/** Random streams of 0 to 14 lines, mostly terminated, cut at up to 10 random places. */
export const generatedStream: fc.Arbitrary<GeneratedStream> = fc.record({
  boms: fc.constantFrom(0, 0, 0, 1, 2),
  lines: fc.tuple(
    fc.array(fc.record({ parts: lineBody, end: lineEnd }), { maxLength: 14 }),
    fc.option(lineBody, { freq: 3 }),
  ).map(([lines, unterminated]) => unterminated === null ? lines : [...lines, { parts: unterminated, end: '' as const }]),
  cuts: fc.array(fc.nat(), { maxLength: 10 }),
})

const encoder = new TextEncoder()
const RETRY_LINE = /^retry: ?(\d+)$/

/** The stream's bytes. */
export function streamBytes(stream: GeneratedStream): Uint8Array {
  const bytes: number[] = []
  const add = (part: Piece): void => {
    bytes.push(...(typeof part === 'string' ? encoder.encode(part) : part))
  }
  add('\uFEFF'.repeat(stream.boms))
  for (const line of stream.lines) {
    line.parts.forEach(add)
    add(line.end)
  }
  return Uint8Array.from(bytes)
}

/** The stream's bytes cut into chunks at its cut positions. */
export function streamChunks(stream: GeneratedStream): Uint8Array[] {
  const bytes = streamBytes(stream)
  return cutAt(bytes, stream.cuts.map(n => bytes.length < 2 ? 0 : 1 + n % (bytes.length - 1)))
}

/** Splits bytes at the given positions (any order, duplicates and out-of-range positions ignored). */
export function cutAt(bytes: Uint8Array, positions: number[]): Uint8Array[] {
  const cuts = [...new Set(positions.filter(p => p > 0 && p < bytes.length))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let from = 0
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(from, cut))
    from = cut
  }
  return chunks
}

/**
 * The reconnection time a stream leaves behind, from the spec's one rule for `retry:` (a line that is
 * exactly `retry:` plus ASCII digits, one optional space after the colon; an unterminated last line is
 * never interpreted), or `null` if it sets none. An oracle independent of the parser under test.
 */
export function lastRetry(stream: GeneratedStream): number | null {
  let found: number | null = null
  stream.lines.forEach((line, i) => {
    if (line.end === '' || line.parts.some(part => typeof part !== 'string'))
      return
    // A second byte order mark is text: it becomes part of the first line's field name.
    const text = (i === 0 && stream.boms > 1 ? '\uFEFF' : '') + line.parts.join('')
    const match = RETRY_LINE.exec(text)
    if (match !== null)
      found = Number(match[1])
  })
  return found
}
