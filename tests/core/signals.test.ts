import type { Mock } from 'vitest'
import type { PageSignals, SignalGate, WaitReason } from '../../src/core/signals'
import { describe, expect, it, vi } from 'vitest'
import { createSignalGate } from '../../src/core/signals'

/** A hand-written page: the test sets visibility and network, and `change()` tells the listeners. */
interface FakePage extends PageSignals {
  isHidden: boolean
  isOnline: boolean
  /** How many times `subscribe` and its unsubscribe function were called. */
  subscribed: number
  unsubscribed: number
  /** The listeners currently subscribed. */
  listeners: Set<() => void>
  /** Sets the page's state and notifies every listener, as a visibilitychange/online/offline event would. */
  change: (state: { hidden?: boolean, online?: boolean }) => void
}

function fakePage(initial: { hidden?: boolean, online?: boolean } = {}): FakePage {
  const page: FakePage = {
    isHidden: initial.hidden ?? false,
    isOnline: initial.online ?? true,
    subscribed: 0,
    unsubscribed: 0,
    listeners: new Set(),
    hidden: () => page.isHidden,
    online: () => page.isOnline,
    subscribe(listener) {
      page.subscribed++
      page.listeners.add(listener)
      return () => {
        page.unsubscribed++
        page.listeners.delete(listener)
      }
    },
    change(state) {
      page.isHidden = state.hidden ?? page.isHidden
      page.isOnline = state.online ?? page.isOnline
      for (const listener of [...page.listeners])
        listener()
    },
  }
  return page
}

interface Harness {
  gate: SignalGate
  pause: Mock<(reason: WaitReason) => void>
  resume: Mock<(cameOnline: boolean) => void>
  /** What `scheduled()` answers: whether a backoff timer is running. */
  backoff: { running: boolean }
}

/** A gate whose `pause` records the wait, as the client's `waitForPage` does, and whose `resume` clears it. */
function gateFor(page: PageSignals | undefined, pauseWhenHidden: boolean): Harness {
  const backoff = { running: false }
  // The callbacks reach the gate through this, since the gate is made from them.
  const created: { gate?: SignalGate } = {}
  const pause = vi.fn((reason: WaitReason) => created.gate!.waitFor(reason))
  const resume = vi.fn((_cameOnline: boolean) => created.gate!.waitFor(null))
  const gate = createSignalGate(page, pauseWhenHidden, pause, resume, () => backoff.running)
  created.gate = gate
  return { gate, pause, resume, backoff }
}

// docs/guide/core.md: "without it the core assumes a visible page that is online".
describe('signal gate: without page signals', () => {
  it('is never blocked, listens to nothing and never pauses or resumes', () => {
    const { gate, pause, resume } = gateFor(undefined, true)
    expect(gate.blocked()).toBeNull()
    gate.start()
    gate.waitFor('offline')
    expect(gate.blocked()).toBeNull()
    gate.stop()
    gate.start()
    expect(gate.blocked()).toBeNull()
    expect(pause).not.toHaveBeenCalled()
    expect(resume).not.toHaveBeenCalled()
  })
})

describe('signal gate: blocked()', () => {
  it('is null on a visible, online page', () => {
    expect(gateFor(fakePage(), true).gate.blocked()).toBeNull()
    expect(gateFor(fakePage(), false).gate.blocked()).toBeNull()
  })

  it('is "offline" when the network is down, whether or not the page is hidden', () => {
    expect(gateFor(fakePage({ online: false }), false).gate.blocked()).toBe('offline')
    expect(gateFor(fakePage({ online: false }), true).gate.blocked()).toBe('offline')
    expect(gateFor(fakePage({ online: false, hidden: true }), true).gate.blocked()).toBe('offline')
  })

  it('is "hidden" for a hidden page only with pauseWhenHidden', () => {
    expect(gateFor(fakePage({ hidden: true }), true).gate.blocked()).toBe('hidden')
    expect(gateFor(fakePage({ hidden: true }), false).gate.blocked()).toBeNull()
  })

  it('reads the page afresh on every call, started or not', () => {
    const page = fakePage()
    const { gate } = gateFor(page, true)
    page.isHidden = true
    expect(gate.blocked()).toBe('hidden')
    page.isOnline = false
    expect(gate.blocked()).toBe('offline')
    page.isOnline = true
    page.isHidden = false
    expect(gate.blocked()).toBeNull()
  })
})

describe('signal gate: listening', () => {
  it('start() subscribes once, however often it is called', () => {
    const page = fakePage()
    const { gate } = gateFor(page, true)
    expect(page.subscribed).toBe(0)
    gate.start()
    gate.start()
    gate.start()
    expect(page.subscribed).toBe(1)
    expect(page.listeners.size).toBe(1)
  })

  it('stop() unsubscribes, and start() after it subscribes again', () => {
    const page = fakePage()
    const { gate } = gateFor(page, true)
    gate.start()
    gate.stop()
    expect(page.unsubscribed).toBe(1)
    expect(page.listeners.size).toBe(0)
    gate.stop()
    expect(page.unsubscribed).toBe(1)
    gate.start()
    expect(page.subscribed).toBe(2)
    expect(page.listeners.size).toBe(1)
  })

  it('stop() before start() does nothing', () => {
    const page = fakePage()
    const { gate } = gateFor(page, true)
    gate.stop()
    expect(page.unsubscribed).toBe(0)
    expect(page.subscribed).toBe(0)
  })

  it('reacts to no change after stop()', () => {
    const page = fakePage()
    const { gate, pause, resume, backoff } = gateFor(page, true)
    gate.start()
    gate.stop()
    backoff.running = true
    page.change({ hidden: true })
    page.change({ online: false })
    page.change({ online: true, hidden: false })
    expect(pause).not.toHaveBeenCalled()
    expect(resume).not.toHaveBeenCalled()
  })
})

describe('signal gate: page changes', () => {
  it('with pauseWhenHidden, a change to hidden calls pause("hidden") once', () => {
    const page = fakePage()
    const { gate, pause, resume } = gateFor(page, true)
    gate.start()
    page.change({ hidden: true })
    expect(pause).toHaveBeenCalledOnce()
    expect(pause).toHaveBeenCalledWith('hidden')
    // Further changes while it already waits for the page to show again do not pause again.
    page.change({ hidden: true })
    page.change({ online: false })
    page.change({ online: true })
    expect(pause).toHaveBeenCalledOnce()
    expect(resume).not.toHaveBeenCalled()
  })

  it('without pauseWhenHidden, hiding the page does nothing', () => {
    const page = fakePage()
    const { gate, pause, resume, backoff } = gateFor(page, false)
    gate.start()
    backoff.running = true
    page.change({ hidden: true })
    page.change({ hidden: false })
    expect(pause).not.toHaveBeenCalled()
    expect(resume).not.toHaveBeenCalled()
  })

  it('becoming visible while waiting for the page calls resume', () => {
    const page = fakePage()
    const { gate, pause, resume } = gateFor(page, true)
    gate.start()
    page.change({ hidden: true })
    expect(resume).not.toHaveBeenCalled()
    page.change({ hidden: false })
    expect(resume).toHaveBeenCalledOnce()
    // The network did not come back: it never left.
    expect(resume).toHaveBeenCalledWith(false)
    expect(pause).toHaveBeenCalledOnce()
  })

  it('coming back online while waiting for the network calls resume', () => {
    const page = fakePage({ online: false })
    const { gate, resume } = gateFor(page, false)
    gate.start()
    gate.waitFor('offline')
    page.change({ online: true })
    expect(resume).toHaveBeenCalledOnce()
    expect(resume).toHaveBeenCalledWith(true)
  })

  it('coming back online while hidden, with pauseWhenHidden, pauses for the page instead of resuming', () => {
    const page = fakePage({ online: false, hidden: true })
    const { gate, pause, resume } = gateFor(page, true)
    gate.start()
    gate.waitFor('offline')
    page.change({ online: true })
    expect(pause).toHaveBeenCalledOnce()
    expect(pause).toHaveBeenCalledWith('hidden')
    expect(resume).not.toHaveBeenCalled()
  })

  it('coming back online while a backoff is scheduled calls resume, to cut it short', () => {
    const page = fakePage()
    const { gate, resume, backoff } = gateFor(page, false)
    gate.start()
    page.change({ online: false })
    expect(resume).not.toHaveBeenCalled()
    backoff.running = true
    page.change({ online: true })
    expect(resume).toHaveBeenCalledOnce()
    expect(resume).toHaveBeenCalledWith(true)
  })

  it('knows the page started offline: the first change back online with a backoff scheduled resumes', () => {
    const page = fakePage({ online: false })
    const { gate, resume, backoff } = gateFor(page, false)
    gate.start()
    backoff.running = true
    page.change({ online: true })
    expect(resume).toHaveBeenCalledOnce()
  })

  it('coming back online with no backoff scheduled and nothing awaited does nothing', () => {
    const page = fakePage()
    const { gate, pause, resume } = gateFor(page, false)
    gate.start()
    page.change({ online: false })
    page.change({ online: true })
    expect(pause).not.toHaveBeenCalled()
    expect(resume).not.toHaveBeenCalled()
  })

  it('a change that is not a return to the network does nothing while a backoff is scheduled', () => {
    const page = fakePage()
    const { gate, pause, resume, backoff } = gateFor(page, true)
    gate.start()
    backoff.running = true
    // Still online: not a return; going offline: not a return either.
    page.change({ online: true })
    page.change({ online: false })
    expect(pause).not.toHaveBeenCalled()
    expect(resume).not.toHaveBeenCalled()
  })

  it('resumes only once per return: a second "online" notice with the network already up does nothing', () => {
    const page = fakePage()
    const { gate, resume, backoff } = gateFor(page, false)
    gate.start()
    page.change({ online: false })
    backoff.running = true
    page.change({ online: true })
    page.change({ online: true })
    expect(resume).toHaveBeenCalledOnce()
  })

  it('after waitFor(null), becoming visible or online does not resume', () => {
    const page = fakePage()
    const { gate, resume } = gateFor(page, true)
    gate.start()
    gate.waitFor('hidden')
    gate.waitFor(null)
    page.change({ hidden: false })
    expect(resume).not.toHaveBeenCalled()
  })
})
