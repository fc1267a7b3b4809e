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
 */
export function startWatchdog(timeout: number, onTimeout: () => void): Watchdog {
  let last = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const check = (): void => {
    const idle = performance.now() - last
    if (idle >= timeout) {
      timer = undefined
      onTimeout()
    }
    else {
      timer = startTimer(check, timeout - idle)
    }
  }
  timer = startTimer(check, timeout)
  return {
    touch() {
      last = performance.now()
    },
    stop() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}
