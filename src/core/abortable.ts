/**
 * Settles as `promise` does, or rejects with `signal.reason` as soon as `signal` aborts, whichever comes
 * first; the abort listener is removed either way. For waits on code the client does not control (a
 * custom `fetch`, `onOpen`, a token getter), so that `close()` and the heartbeat win over a promise
 * that never settles.
 */
export function abortable<T>(promise: T | PromiseLike<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted)
    return Promise.reject(signal.reason)
  let onAbort!: () => void
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort))
}
