import { describe, expect, it } from 'vitest'
import { queueTask } from '../../src/eventsource/taskQueue'

describe('the drop-in EventSource\'s task queue', () => {
  it('runs 5,000 tasks, some queued by others while the queue is long, in order, each in a task of its own', async () => {
    const ran: number[] = []
    // A microtask a task queues runs before the next task: what one task per event means.
    const microtasksBefore: boolean[] = []
    let pendingMicrotask = false
    let next = 0
    const queue = (): void => {
      const n = next++
      queueTask(() => {
        microtasksBefore.push(!pendingMicrotask)
        ran.push(n)
        pendingMicrotask = true
        queueMicrotask(() => (pendingMicrotask = false))
        // Every 7th task queues another at the back: the queue keeps growing while it drains, and is
        // compacted underneath (it drops run tasks past 1,024) without losing or reordering any.
        if (n % 7 === 0 && next < 5000)
          queue()
      })
    }
    for (let i = 0; i < 4000; i++)
      queue()
    await new Promise<void>((resolve) => {
      const wait = (): void => void (ran.length === next ? resolve() : setTimeout(wait, 5))
      wait()
    })
    expect(next).toBeGreaterThan(4500)
    expect(ran).toEqual(Array.from({ length: next }, (_, i) => i))
    expect(microtasksBefore.every(Boolean)).toBe(true)
  })
})
