/**
 * The client's decisions that the HTML standard does not make, as pure functions: what is known goes in,
 * a decision comes out; no timers, no fetch. Each is `[NON-SPEC]`, with its reason.
 */

/**
 * Whether the next cross-origin attempt sends `Last-Event-ID`, which, unlike the browser's EventSource,
 * fetch may send only with the server's CORS consent:
 * - `send`: it does;
 * - `doubt`: CORS refused an attempt that sent it; it is sent once more, since a server that was just
 *   restarting may have come up between that request and the probe that judged it;
 * - `probe`: refused twice; the next attempt goes without, to see whether the header is the cause;
 * - `blocked`: one without it opened: the server's CORS refuses the header (events may have been missed).
 */
export type LastEventIdMode = 'send' | 'doubt' | 'probe' | 'blocked'

/** What an attempt's end says of the header: it opened, CORS refused it, the network failed, or else. */
export type HeaderOutcome = 'opened' | 'cors' | 'network' | 'other'

/**
 * [NON-SPEC] the mode after an attempt, given whether it sent the header. Never for good on one
 * inference: a network failure (a server restarting) and an attempt with the header that opens go back
 * to `send`, as `open()` does; a refusal without the header says the header was not the cause.
 */
export function nextLastEventIdMode(mode: LastEventIdMode, outcome: HeaderOutcome, sentHeader: boolean): LastEventIdMode {
  if (outcome === 'network')
    return 'send'
  if (outcome === 'opened')
    return mode === 'probe' ? 'blocked' : mode === 'doubt' ? 'send' : mode
  if (outcome === 'cors')
    return sentHeader ? mode === 'doubt' ? 'probe' : 'doubt' : mode === 'probe' ? 'send' : mode
  return mode
}

/** Whether an attempt in `mode` sends `Last-Event-ID` (when there is one to send). */
export function sendsLastEventId(mode: LastEventIdMode): boolean {
  return mode === 'send' || mode === 'doubt'
}
