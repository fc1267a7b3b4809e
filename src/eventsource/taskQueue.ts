/**
 * [spec] EventSource fires each of its events from a task of its own (the "remote event task source"):
 * a listener's promise reactions run before the next event's listeners. One task per callback, in order.
 * `setImmediate` where the runtime has it (Node), else a `MessageChannel` (browsers, workers).
 */
const queue: (() => void)[] = []
let post: (() => void) | undefined

function runOne(): void {
  const task = queue.shift()
  if (queue.length > 0)
    post!()
  task?.()
}

function poster(): () => void {
  const scope = globalThis as { setImmediate?: (callback: () => void) => unknown }
  if (typeof scope.setImmediate === 'function')
    return () => scope.setImmediate!(runOne)
  const channel = new MessageChannel()
  channel.port1.onmessage = runOne
  return () => channel.port2.postMessage(null)
}

/** Runs `task` in a task of its own, after every task queued before it. */
export function queueTask(task: () => void): void {
  queue.push(task)
  if (queue.length === 1)
    (post ??= poster())()
}
