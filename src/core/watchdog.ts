import { startTimer } from './timer'

/** A timer that fires once `timeout` ms pass without a `touch()`. */
export interface Watchdog {
  /** Records activity: the countdown starts again. */
  touch: () => void
  /** Stops the timer for good. */
  stop: () => void
}

/**
 * Starts a watchdog. Activity only records a timestamp: the timer is re-armed when it fires early, so a
 * stream of thousands of chunks a second costs no timer churn.
 *
 * When the silence has lasted `timeout` ms, the watchdog looks once more one task later before it fires:
 * if this thread was frozen (a long task, a debugger, a suspended tab, a starved process), the timer runs
 * first when it thaws, before the bytes that arrived meanwhile are read, and the stream is not dead.
 */
export function startWatchdog(timeout: number, onTimeout: () => void): Watchdog {
  let last = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  // Whether the one look after the timeout has been granted since the last activity.
  let lookedAgain = false
  const check = (): void => {
    const idle = performance.now() - last
    if (idle < timeout) {
      timer = startTimer(check, timeout - idle)
    }
    else if (!lookedAgain) {
      lookedAgain = true
      timer = startTimer(check, 0)
    }
    else {
      timer = undefined
      onTimeout()
    }
  }
  timer = startTimer(check, timeout)
  return {
    touch() {
      last = performance.now()
      lookedAgain = false
    },
    stop() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}
