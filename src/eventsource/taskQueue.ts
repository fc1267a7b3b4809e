/**
 * [spec] EventSource fires each of its events from a task of its own (the "remote event task source"):
 * a listener's promise reactions run before the next event's listeners. One task per callback, in order.
 * `setImmediate` where the runtime has it (Node), else a `MessageChannel` (browsers, workers).
 */
let queue: (() => void)[] = []
// The next task to run: tasks are taken by index, not `shift()`ed, which copies the rest of a long
// queue each time (200,000 queued events took seconds to drain that way).
let head = 0
let post: (() => void) | undefined

function runOne(): void {
  const task = queue[head++]!
  if (head === queue.length) {
    queue = []
    head = 0
  }
  else {
    // A queue that never empties drops the tasks already run once they are half of it: amortized O(1).
    if (head >= 1024 && head * 2 >= queue.length) {
      queue = queue.slice(head)
      head = 0
    }
    post!()
  }
  task()
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
  if (queue.length - head === 1)
    (post ??= poster())()
}
