/** When refs catch up with the stream: at once, once per microtask, or once per animation frame. */
export type FlushMode = 'sync' | 'microtask' | 'frame'

/** Runs `apply` once per burst: `schedule()` as often as you like, `apply` runs once when the burst is over. */
export interface Batcher {
  schedule: () => void
  /** Drops a scheduled run. */
  cancel: () => void
}

/**
 * Coalesces many `schedule()` calls into one `apply()`. `frame` uses requestAnimationFrame where there is
 * one (so a background tab costs nothing) and a 16 ms timer elsewhere.
 */
export function createBatcher(mode: Exclude<FlushMode, 'sync'>, apply: () => void): Batcher {
  const raf = (globalThis as { requestAnimationFrame?: (callback: () => void) => number }).requestAnimationFrame
  const caf = (globalThis as { cancelAnimationFrame?: (handle: number) => void }).cancelAnimationFrame
  let scheduled = false
  let handle: number | ReturnType<typeof setTimeout> | undefined
  let generation = 0
  const run = (): void => {
    scheduled = false
    handle = undefined
    apply()
  }
  const arm = (): void => {
    scheduled = true
    if (mode === 'microtask') {
      const current = generation
      queueMicrotask(() => {
        if (current === generation && scheduled)
          run()
      })
    }
    else {
      handle = raf !== undefined ? raf(run) : setTimeout(run, 16)
    }
  }
  return {
    // Called once per event, arming once per burst: small enough for V8 to inline it into any call site.
    schedule() {
      if (!scheduled)
        arm()
    },
    cancel() {
      if (!scheduled)
        return
      scheduled = false
      generation++
      if (handle !== undefined) {
        if (raf !== undefined && caf !== undefined)
          caf(handle as number)
        else
          clearTimeout(handle)
        handle = undefined
      }
    },
  }
}
