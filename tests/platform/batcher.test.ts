/** platform/batcher.ts: many schedule() calls, one apply() per burst, on virtual time. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createBatcher } from '../../src/platform/batcher'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('createBatcher', () => {
  it('microtask: a burst in one task applies once, after the task', async () => {
    const apply = vi.fn()
    const batcher = createBatcher('microtask', apply)
    for (let i = 0; i < 100; i++)
      batcher.schedule()
    expect(apply).not.toHaveBeenCalled()
    await Promise.resolve()
    expect(apply).toHaveBeenCalledOnce()
    batcher.schedule()
    await Promise.resolve()
    expect(apply).toHaveBeenCalledTimes(2)
  })

  it('frame: once per animation frame where there is requestAnimationFrame', () => {
    const frames: (() => void)[] = []
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback))
    vi.stubGlobal('cancelAnimationFrame', () => {})
    const apply = vi.fn()
    const batcher = createBatcher('frame', apply)
    batcher.schedule()
    batcher.schedule()
    expect(frames).toHaveLength(1)
    frames[0]!()
    expect(apply).toHaveBeenCalledOnce()
  })

  it('frame: a 16 ms timer where there is none, and cancel() drops a scheduled run', () => {
    vi.useFakeTimers()
    const apply = vi.fn()
    const batcher = createBatcher('frame', apply)
    batcher.schedule()
    vi.advanceTimersByTime(15)
    expect(apply).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(apply).toHaveBeenCalledOnce()
    batcher.schedule()
    batcher.cancel()
    vi.advanceTimersByTime(100)
    expect(apply).toHaveBeenCalledOnce()
  })
})
