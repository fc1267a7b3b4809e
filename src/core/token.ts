import type { TokenContext, TokenSource } from './types'
import { abortable } from './abortable'
import { EventSourceError } from './errors'
import { startTimer } from './timer'

// Characters of an RFC 6750 bearer token (token68) plus anything else printable a server may issue;
// control characters would make fetch throw an error whose message quotes the token.
const HEADER_SAFE = /^[\x21-\x7E]+$/

/**
 * Reads the token for one attempt. A getter that throws, rejects, hangs past `timeout` ms or returns
 * something unusable gives a `token` error; the token itself never appears in an error message. When
 * `signal` aborts (the client closed), the wait ends at once and leaves no timer behind.
 */
export async function readToken(source: TokenSource, context: TokenContext, timeout: number, signal: AbortSignal): Promise<string | null> {
  let value: unknown = source
  if (typeof source === 'function') {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      value = await abortable(Promise.race([
        source(context),
        new Promise((_, reject) => {
          const error = new EventSourceError('token', __DEV__ ? `The token getter did not settle within ${timeout} ms` : '', { limit: timeout })
          timer = startTimer(() => reject(error), timeout)
        }),
      ]), signal)
    }
    catch (error) {
      if (error instanceof EventSourceError || signal.aborted)
        throw error
      throw new EventSourceError('token', __DEV__ ? 'The token getter failed' : '', { cause: error })
    }
    finally {
      clearTimeout(timer)
    }
  }
  return checkToken(value)
}

/** A token as a request sends it: `null` for none (`null`, `undefined`, `''`), else a header-safe string; anything else is a `token` error. */
export function checkToken(value: unknown): string | null {
  if (value === null || value === undefined || value === '')
    return null
  if (typeof value !== 'string')
    throw new EventSourceError('token', __DEV__ ? `The token must be a string, got ${typeof value}` : '')
  if (!HEADER_SAFE.test(value))
    throw new EventSourceError('token', __DEV__ ? 'The token contains characters that cannot be sent in an HTTP header' : '')
  return value
}
