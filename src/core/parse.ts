/**
 * The event-stream parser, after the WHATWG HTML standard's "Interpreting an event stream":
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 * Lines end at CRLF, LF or CR; a leading BOM is dropped; `data:`, `event:`, `id:` and `retry:` are the only
 * fields; an `id:` holding U+0000 is ignored. [NON-SPEC] `maxEventSize` bounds a line or an event's data.
 */
import { EventSourceError } from './errors'

/** What the parser reports while it reads a stream. */
export interface ParserCallbacks {
  /** An event was dispatched: its type (`message` when the stream named none), its data, and the stream's last event ID. */
  onEvent: (type: string, data: string, lastEventId: string) => void
  /** The server sent a valid `retry:` field, in milliseconds. */
  onRetry: (milliseconds: number) => void
}

/** A streaming parser for one `text/event-stream` body, fed decoded text. */
export interface EventStreamParser {
  /** Parses the next piece of text; pieces may split lines, CRLF pairs or fields anywhere. */
  feed: (text: string) => void
  /** Starts a new stream, keeping `lastEventId` as the stream's last event ID. */
  reset: (lastEventId: string) => void
  /** The last event ID committed by a dispatch (an `id:` takes effect at the blank line that ends its block). */
  readonly lastEventId: string
}

const LF = 10
const SPACE = 32
const COLON = 58
const NUL = '\0'
const BOM = '\uFEFF'
const DIGITS = /^\d+$/

/**
 * Creates a parser that follows the WHATWG HTML "event stream interpretation" algorithm to the letter.
 *
 * Written here rather than taken from eventsource-parser: 4.1.3 agrees with the spec but strips a leading
 * byte order mark from already-decoded text (a second BOM goes too) and the text "ï»¿" as if it were one,
 * and it is larger; see the docs' "The parser" page.
 *
 * @param callbacks - where dispatched events and `retry:` values go.
 * @param maxEventSize - characters one pending line plus one event's data may hold before a typed
 *   `event-too-large` error is thrown, so a hostile stream cannot grow memory without bound.
 */
export function createEventStreamParser(callbacks: ParserCallbacks, maxEventSize = Infinity): EventStreamParser {
  const { onEvent, onRetry } = callbacks
  // [spec] the data, event type and last event ID buffers
  let data = ''
  let dataLines = 0
  let type = ''
  let idBuffer = ''
  let lastEventId = ''
  // A line that has not ended yet, kept in pieces so a huge line is joined once, not re-copied per chunk.
  let pending: string[] = []
  let pendingLength = 0
  let atStreamStart = true
  // The previous piece ended with CR: a LF at the start of the next one belongs to the same CRLF.
  let skipLeadingLF = false

  function checkSize(extra: number): void {
    if (pendingLength + data.length + extra > maxEventSize) {
      pending = []
      pendingLength = 0
      data = ''
      dataLines = 0
      throw new EventSourceError('event-too-large', __DEV__ ? `An event or line exceeded maxEventSize (${maxEventSize} characters)` : '', { limit: maxEventSize })
    }
  }

  function dispatch(): void {
    // [spec] the last event ID is committed at every blank line, even one that dispatches nothing
    lastEventId = idBuffer
    if (dataLines === 0) {
      type = ''
      return
    }
    const eventData = data
    const eventType = type === '' ? 'message' : type
    data = ''
    dataLines = 0
    type = ''
    onEvent(eventType, eventData, lastEventId)
  }

  function field(name: string, value: string): void {
    switch (name) {
      case 'data':
        appendData(value)
        break
      case 'event':
        type = value
        break
      case 'id':
        // [spec] an id containing U+0000 NULL is ignored
        if (!value.includes(NUL))
          idBuffer = value
        break
      case 'retry':
        // [spec] retry is used only when it consists of ASCII digits alone
        if (DIGITS.test(value))
          onRetry(Number.parseInt(value, 10))
        break
      // [spec] any other field is ignored
    }
  }

  function appendData(value: string): void {
    data = dataLines === 0 ? value : `${data}\n${value}`
    dataLines++
    if (data.length > maxEventSize)
      checkSize(0)
  }

  /** Where a field's value starts, given the position after its colon: one space there is skipped. */
  function valueFrom(text: string, afterColon: number): number {
    return text.charCodeAt(afterColon) === SPACE ? afterColon + 1 : afterColon
  }

  /**
   * Interprets the non-empty line text[start, end). `data:`, `event:` and `id:` (the name being all that
   * precedes the first colon) are read without slicing the name; other lines take the general way.
   */
  function line(text: string, start: number, end: number): void {
    switch (text.charCodeAt(start)) {
      case 100: // data:
        if (text.charCodeAt(start + 1) === 97 && text.charCodeAt(start + 2) === 116 && text.charCodeAt(start + 3) === 97 && text.charCodeAt(start + 4) === COLON)
          return appendData(text.slice(valueFrom(text, start + 5), end))
        break
      case 101: // event:
        if (text.charCodeAt(start + 1) === 118 && text.charCodeAt(start + 2) === 101 && text.charCodeAt(start + 3) === 110 && text.charCodeAt(start + 4) === 116 && text.charCodeAt(start + 5) === COLON) {
          type = text.slice(valueFrom(text, start + 6), end)
          return
        }
        break
      case 105: // id:
        if (text.charCodeAt(start + 1) === 100 && text.charCodeAt(start + 2) === COLON)
          return field('id', text.slice(valueFrom(text, start + 3), end))
        break
      case COLON:
        return // [spec] a comment
    }
    otherLine(text.slice(start, end))
  }

  function otherLine(lineText: string): void {
    const colon = lineText.indexOf(':')
    if (colon === -1)
      return field(lineText, '') // [spec] a line without a colon is a field name with an empty value
    field(lineText.slice(0, colon), lineText.slice(valueFrom(lineText, colon + 1)))
  }

  /**
   * lines() where no CR follows, the usual case: every line ends at a LF. The hot path: `data:`,
   * `event:` and `id:` lines (as in line(), repeated here to spare a call per line) and the blank line
   * after an event's last line are handled without a call or a search.
   */
  function linesEndingInLF(text: string, start: number, firstLF: number): number {
    let position = start
    let lf = firstLF
    while (lf !== -1) {
      if (lf === position) {
        dispatch()
      }
      else {
        const first = text.charCodeAt(position)
        if (first === 100 && text.charCodeAt(position + 1) === 97 && text.charCodeAt(position + 2) === 116 && text.charCodeAt(position + 3) === 97 && text.charCodeAt(position + 4) === COLON) {
          const value = text.slice(text.charCodeAt(position + 5) === SPACE ? position + 6 : position + 5, lf)
          if (dataLines === 0 && text.charCodeAt(lf + 1) === LF && value.length <= maxEventSize) {
            // An event of one data line, the usual shape: dispatched with its value as it is, without
            // going through the data buffer (dispatch() below, shortened).
            lastEventId = idBuffer
            const eventType = type === '' ? 'message' : type
            if (type !== '')
              type = ''
            position = lf + 2
            onEvent(eventType, value, lastEventId)
            lf = text.indexOf('\n', position)
            continue
          }
          data = dataLines === 0 ? value : `${data}\n${value}`
          dataLines++
          if (data.length > maxEventSize)
            checkSize(0)
        }
        else if (first === 101 && text.charCodeAt(position + 1) === 118 && text.charCodeAt(position + 2) === 101 && text.charCodeAt(position + 3) === 110 && text.charCodeAt(position + 4) === 116 && text.charCodeAt(position + 5) === COLON) {
          type = text.slice(text.charCodeAt(position + 6) === SPACE ? position + 7 : position + 6, lf)
        }
        else if (first === 105 && text.charCodeAt(position + 1) === 100 && text.charCodeAt(position + 2) === COLON) {
          const value = text.slice(text.charCodeAt(position + 3) === SPACE ? position + 4 : position + 3, lf)
          // [spec] an id containing U+0000 NULL is ignored
          if (!value.includes(NUL))
            idBuffer = value
        }
        else {
          line(text, position, lf)
        }
        // A blank line right after it, as after most events' last line: dispatch without a search.
        if (lf + 1 < text.length && text.charCodeAt(lf + 1) === LF) {
          dispatch()
          lf++
        }
      }
      position = lf + 1
      lf = text.indexOf('\n', position)
    }
    return position
  }

  /** Interprets every complete line of text from `start`, returning where the unfinished tail begins. */
  function lines(text: string, start: number): number {
    let position = start
    let cr = text.indexOf('\r', position)
    let lf = text.indexOf('\n', position)
    if (cr === -1)
      return linesEndingInLF(text, position, lf)
    while (true) {
      if (cr !== -1 && cr < position)
        cr = text.indexOf('\r', position)
      if (lf !== -1 && lf < position)
        lf = text.indexOf('\n', position)
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf)
      if (end === -1)
        return position
      if (end === position)
        dispatch()
      else
        line(text, position, end)
      position = end + 1
      if (end === cr) {
        if (position === text.length)
          skipLeadingLF = true
        else if (text.charCodeAt(position) === LF)
          position++
      }
    }
  }

  function feed(chunk: string): void {
    let text = chunk
    if (text.length === 0)
      return
    if (atStreamStart) {
      atStreamStart = false
      // [spec] one leading U+FEFF BYTE ORDER MARK is ignored, and only at the start of the stream
      if (text.startsWith(BOM))
        text = text.slice(1)
    }
    let start = 0
    if (skipLeadingLF) {
      skipLeadingLF = false
      if (text.charCodeAt(0) === LF)
        start = 1
    }
    if (pendingLength > 0 || pending.length > 0) {
      // Still no line break: the piece only lengthens the pending line (the CR search, a scan of the
      // whole piece, is skipped when a LF is found).
      if (!text.includes('\n', start) && !text.includes('\r', start)) {
        checkSize(text.length - start)
        pending.push(start === 0 ? text : text.slice(start))
        pendingLength += text.length - start
        return
      }
      // The whole piece is joined to the pending line, not just up to its first line break: this also
      // turns the decoder's text into an ordinary V8 string. Chromium hands TextDecoder output over as an
      // external string, and reading characters of one (or of slices of one) is much slower.
      pending.push(text.slice(start))
      text = pending.join('')
      // Emptied in place, not replaced: V8 keeps a replaced array reachable until feed() returns, so its
      // pieces would stay alive beside the joined line while it is parsed and delivered (2 copies, not 1).
      pending.length = 0
      pendingLength = 0
      start = 0
    }
    const tail = lines(text, start)
    if (tail < text.length) {
      checkSize(text.length - tail)
      pending.push(text.slice(tail))
      pendingLength = text.length - tail
    }
    else {
      checkSize(0)
    }
  }

  function reset(id: string): void {
    // [spec] a new stream starts with empty buffers; like Chromium, its id buffer starts from the last event ID
    data = ''
    dataLines = 0
    type = ''
    idBuffer = id
    lastEventId = id
    pending = []
    pendingLength = 0
    atStreamStart = true
    skipLeadingLF = false
  }

  return {
    feed,
    reset,
    get lastEventId() {
      return lastEventId
    },
  }
}
