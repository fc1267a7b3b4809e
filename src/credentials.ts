import type { MaybeRefOrGetter } from 'vue'
import type { MaybePromise, TokenContext, TokenGetter } from './core/index'
import { ReactiveEffect, toValue } from 'vue'

/** The `token` option of the composables: a string, a ref, or a getter, sync or async. */
export type TokenOption = MaybeRefOrGetter<string | null | undefined> | TokenGetter

/** Reads a token option once: a ref's value, a getter's answer (a promise for an async getter). */
export function readTokenOption(token: TokenOption, context: TokenContext): MaybePromise<string | null | undefined> {
  return typeof token === 'function' ? (token as TokenGetter)(context) : toValue(token)
}

/** `null` for no token, as a request sends none for `null`, `undefined` or `''`. */
const normalized = (value: unknown): unknown => value === undefined || value === '' ? null : value

/**
 * The token as the client reads it, followed: each read runs in a reactive effect, so when anything it
 * depended on changes (a ref, the auth store a getter reads before its first `await`), the token is read
 * again, and `changed` is called if it now differs from the one the client last read, told whether it
 * went from a token to none or from none to one (a sign-out or sign-in, not a rotation). A getter's own
 * refresh (which updates the store to the token it just returned) is no change. Nothing is read that the
 * client did not read first: an async getter is never called just to watch it.
 */
export function followToken(token: TokenOption, changed: (signedInOrOut: boolean) => void): { read: TokenGetter, stop: () => void } {
  let effect: ReactiveEffect | null = null
  // What the client's last read gave: a reread that gives the same is no change.
  let last: unknown = null
  let stopped = false

  function track(context: TokenContext, onChange: () => void): MaybePromise<string | null | undefined> {
    effect?.stop()
    let result!: MaybePromise<string | null | undefined>
    const current = new ReactiveEffect(() => {
      result = readTokenOption(token, context)
    })
    current.scheduler = () => {
      current.stop()
      if (!stopped)
        onChange()
    }
    effect = current
    current.run()
    return result
  }

  async function recheck(): Promise<void> {
    let now: unknown
    try {
      now = await track({ refresh: false }, () => void recheck())
    }
    catch {
      // A getter that fails now fails the next attempt with a typed error: reconnect to say so.
      now = recheck
    }
    now = normalized(now)
    if (!stopped && now !== last)
      changed(now === null || last === null)
  }

  return {
    read(context) {
      const result = track(context, () => void recheck())
      if (result instanceof Promise) {
        return result.then((value) => {
          last = normalized(value)
          return value
        })
      }
      last = normalized(result)
      return result
    },
    stop() {
      stopped = true
      effect?.stop()
    },
  }
}
