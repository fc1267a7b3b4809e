/**
 * Event-stream cases derived from the WHATWG HTML spec, "9.2.6 Interpreting an event stream".
 * Each lists the events a conforming client dispatches, as [type, data, lastEventId], the last event ID
 * left committed at the end, and the valid `retry:` values seen. The parser tests, the client tests (through
 * the server's `/raw` route) and the Chromium comparison all read this one list.
 */
export interface SpecCase {
  name: string
  /** The stream; a string is sent as UTF-8. */
  input: string | Uint8Array
  events: [type: string, data: string, lastEventId: string][]
  lastEventId: string
  retries?: number[]
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

export const corpus: SpecCase[] = [
  { name: 'one-event', input: 'data: hello\n\n', events: [['message', 'hello', '']], lastEventId: '' },
  { name: 'data-lines-joined-with-lf', input: 'data: a\ndata: b\n\n', events: [['message', 'a\nb', '']], lastEventId: '' },
  { name: 'one-empty-data-line', input: 'data:\n\n', events: [['message', '', '']], lastEventId: '' },
  { name: 'two-empty-data-lines', input: 'data:\ndata:\n\n', events: [['message', '\n', '']], lastEventId: '' },
  { name: 'field-name-without-colon', input: 'data\ndata\n\n', events: [['message', '\n', '']], lastEventId: '' },
  { name: 'no-space-after-colon', input: 'data:x\n\n', events: [['message', 'x', '']], lastEventId: '' },
  { name: 'only-one-space-removed', input: 'data:  x\n\n', events: [['message', ' x', '']], lastEventId: '' },
  { name: 'tab-is-not-a-space', input: 'data:\tx\n\n', events: [['message', '\tx', '']], lastEventId: '' },
  { name: 'trailing-spaces-kept', input: 'data: x  \n\n', events: [['message', 'x  ', '']], lastEventId: '' },
  { name: 'colon-in-value', input: 'data: a:b: c\n\n', events: [['message', 'a:b: c', '']], lastEventId: '' },
  { name: 'comment-only', input: ': just a comment\n\n', events: [], lastEventId: '' },
  { name: 'comments-between-data', input: 'data: a\n: ping\ndata: b\n:\n\n', events: [['message', 'a\nb', '']], lastEventId: '' },
  { name: 'blank-lines-without-data', input: '\n\n\ndata: x\n\n\n\n', events: [['message', 'x', '']], lastEventId: '' },
  { name: 'named-event', input: 'event: notice\ndata: x\n\n', events: [['notice', 'x', '']], lastEventId: '' },
  { name: 'empty-event-name-is-message', input: 'event:\ndata: x\n\n', events: [['message', 'x', '']], lastEventId: '' },
  { name: 'event-name-reset-after-dispatch', input: 'event: a\ndata: 1\n\ndata: 2\n\n', events: [['a', '1', ''], ['message', '2', '']], lastEventId: '' },
  { name: 'event-name-reset-by-blank-line-without-data', input: 'event: a\n\ndata: 2\n\n', events: [['message', '2', '']], lastEventId: '' },
  { name: 'last-event-name-wins', input: 'event: a\nevent: b\ndata: x\n\n', events: [['b', 'x', '']], lastEventId: '' },
  { name: 'field-names-are-case-sensitive', input: 'Data: x\nDATA: y\nEvent: z\ndata: ok\n\n', events: [['message', 'ok', '']], lastEventId: '' },
  { name: 'space-before-colon-is-another-field', input: 'data : x\n\ndata: y\n\n', events: [['message', 'y', '']], lastEventId: '' },
  { name: 'unknown-fields-ignored', input: 'foo: bar\nbaz\ndata: x\n\n', events: [['message', 'x', '']], lastEventId: '' },
  { name: 'id-sets-last-event-id', input: 'id: 1\ndata: x\n\n', events: [['message', 'x', '1']], lastEventId: '1' },
  { name: 'id-after-data-in-block', input: 'data: x\nid: 3\n\n', events: [['message', 'x', '3']], lastEventId: '3' },
  { name: 'id-persists-across-events', input: 'id: 1\ndata: x\n\ndata: y\n\n', events: [['message', 'x', '1'], ['message', 'y', '1']], lastEventId: '1' },
  { name: 'empty-id-resets', input: 'id: 1\ndata: x\n\nid\ndata: y\n\n', events: [['message', 'x', '1'], ['message', 'y', '']], lastEventId: '' },
  { name: 'id-colon-empty-resets', input: 'id: 1\ndata: x\n\nid:\ndata: y\n\n', events: [['message', 'x', '1'], ['message', 'y', '']], lastEventId: '' },
  { name: 'id-with-nul-ignored', input: 'id: 1\ndata: x\n\nid: a\0b\ndata: y\n\n', events: [['message', 'x', '1'], ['message', 'y', '1']], lastEventId: '1' },
  { name: 'id-keeps-inner-spaces', input: 'id:  a b \ndata: x\n\n', events: [['message', 'x', ' a b ']], lastEventId: ' a b ' },
  { name: 'id-only-block-commits', input: 'id: 7\n\ndata: a\n\n', events: [['message', 'a', '7']], lastEventId: '7' },
  { name: 'id-only-block-at-end-commits', input: 'data: a\n\nid: 8\n\n', events: [['message', 'a', '']], lastEventId: '8' },
  { name: 'unterminated-id-not-committed', input: 'id: 1\ndata: a\n\nid: 9\n', events: [['message', 'a', '1']], lastEventId: '1' },
  { name: 'unicode-id', input: 'id: é€😀\ndata: x\n\n', events: [['message', 'x', 'é€😀']], lastEventId: 'é€😀' },
  { name: 'crlf-line-endings', input: 'data: a\r\ndata: b\r\n\r\n', events: [['message', 'a\nb', '']], lastEventId: '' },
  { name: 'cr-line-endings', input: 'data: a\rdata: b\r\r', events: [['message', 'a\nb', '']], lastEventId: '' },
  { name: 'mixed-line-endings', input: 'data: a\r\ndata: b\rdata: c\n\r\nevent: e\rdata: d\n\r', events: [['message', 'a\nb\nc', ''], ['e', 'd', '']], lastEventId: '' },
  { name: 'cr-cr-is-two-lines', input: 'data: a\r\rdata: b\n\n', events: [['message', 'a', ''], ['message', 'b', '']], lastEventId: '' },
  { name: 'lf-cr-is-two-line-ends', input: 'data: a\n\rdata: b\n\n', events: [['message', 'a', ''], ['message', 'b', '']], lastEventId: '' },
  { name: 'bom-at-start-ignored', input: '\uFEFFdata: x\n\n', events: [['message', 'x', '']], lastEventId: '' },
  { name: 'only-one-bom-ignored', input: '\uFEFF\uFEFFdata: x\n\ndata: y\n\n', events: [['message', 'y', '']], lastEventId: '' },
  { name: 'bom-then-lf-is-a-blank-line', input: '\uFEFF\ndata: a\ndata: b\n\n', events: [['message', 'a\nb', '']], lastEventId: '' },
  { name: 'bom-then-cr-is-a-blank-line', input: '\uFEFF\rid: 5\rdata: a\r\r', events: [['message', 'a', '5']], lastEventId: '5' },
  { name: 'bom-later-is-text', input: 'data: a\n\n\uFEFFdata: b\n\n', events: [['message', 'a', '']], lastEventId: '' },
  { name: 'bom-in-value-kept', input: 'data: \uFEFFa\n\n', events: [['message', '\uFEFFa', '']], lastEventId: '' },
  { name: 'latin-text-that-looks-like-a-bom', input: 'ï»¿data: x\n\ndata: y\n\n', events: [['message', 'y', '']], lastEventId: '' },
  { name: 'retry-valid', input: 'retry: 5000\ndata: x\n\n', events: [['message', 'x', '']], lastEventId: '', retries: [5000] },
  { name: 'retry-zero', input: 'retry: 0\n\n', events: [], lastEventId: '', retries: [0] },
  { name: 'retry-invalid-values-ignored', input: 'retry: 10abc\nretry: -5\nretry: 1.5\nretry:  100\nretry:\nretry\nretry: 1e3\n\n', events: [], lastEventId: '', retries: [] },
  { name: 'retry-without-dispatch', input: 'retry: 42\n', events: [], lastEventId: '', retries: [42] },
  { name: 'unterminated-event-not-dispatched', input: 'data: x\n\ndata: y', events: [['message', 'x', '']], lastEventId: '' },
  { name: 'event-without-blank-line-not-dispatched', input: 'data: x\n\ndata: y\n', events: [['message', 'x', '']], lastEventId: '' },
  { name: 'unicode-data', input: 'data: héllo €😀 日本\n\n', events: [['message', 'héllo €😀 日本', '']], lastEventId: '' },
  { name: 'invalid-utf8-replaced', input: new Uint8Array([...utf8('data: a'), 0xFF, 0x62, 0x0A, 0x0A]), events: [['message', 'a\uFFFDb', '']], lastEventId: '' },
  { name: 'truncated-utf8-before-line-end', input: new Uint8Array([...utf8('data:'), 0xE2, 0x82, 0x0A, 0x0A]), events: [['message', '\uFFFD', '']], lastEventId: '' },
  { name: 'nul-in-data-kept', input: 'data: a\0b\n\n', events: [['message', 'a\0b', '']], lastEventId: '' },
  { name: 'many-events', input: Array.from({ length: 50 }, (_, i) => `id: ${i}\ndata: ${i}\n\n`).join(''), events: Array.from({ length: 50 }, (_, i) => ['message', String(i), String(i)] as [string, string, string]), lastEventId: '49' },
]

/** The bytes of a case's stream. */
export function bytesOf(specCase: SpecCase): Uint8Array {
  return typeof specCase.input === 'string' ? utf8(specCase.input) : specCase.input
}
