/**
 * The longest a timer can wait: 2^31 - 1 ms, about 24.8 days. `setTimeout` in browsers and Node fires at
 * once (after 1 ms) when asked to wait longer, so every delay the client waits is capped here.
 */
export const LONGEST_DELAY = 2_147_483_647

/** `setTimeout`, with the delay capped at `LONGEST_DELAY` so that a long wait never becomes no wait. */
export function startTimer(callback: () => void, milliseconds: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, Math.min(milliseconds, LONGEST_DELAY))
}
