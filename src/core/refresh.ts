import type { EventSourceError } from './errors'

/**
 * The token-refresh episode that a 401 or 403 opens. [NON-SPEC] the spec fails the connection on any
 * status but 200; with a token getter, the client first asks it once for a fresh token and retries at once.
 *
 * The episode allows one such retry. It ends (and a later refusal may ask again) when a connection opens
 * or an attempt fails in another way: without that, a refreshed token, then a 503, then that token
 * expiring, closed the stream for good.
 */
export interface TokenRefresh {
  /**
   * The server refused `token` with `error`. Returns whether to retry at once with a fresh token; `false`
   * means the refusal is final.
   */
  refused: (token: string | null, error: EventSourceError) => boolean
  /**
   * The getter answered a refresh with `token`. Returns the refusal to fail with when that is the very
   * token just refused (the getter has nothing fresher), else `null`.
   */
  stale: (token: string | null) => EventSourceError | null
  /** The episode is over: a connection opened, or an attempt failed in another way. */
  end: () => void
}

/** Starts the refresh bookkeeping of one client; `canRefresh` is false for a fixed token. */
export function createTokenRefresh(canRefresh: boolean): TokenRefresh {
  // Whether this episode's one retry with a fresh token has been spent (from the start for a fixed token).
  let used = !canRefresh
  // The token the server refused last, and its error, to tell a getter's "nothing fresher" from a new token.
  let rejectedToken: string | null = null
  let rejection: EventSourceError | null = null
  return {
    refused(token, error) {
      if (used)
        return false
      used = true
      rejectedToken = token
      rejection = error
      return true
    },
    stale: token => token === rejectedToken ? rejection : null,
    end() {
      used = !canRefresh
    },
  }
}
