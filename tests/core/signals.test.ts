import type { PageEvent } from '../../src/core/policy'
import type { PageSignals } from '../../src/core/signals'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { followPage, readPage } from '../../src/core/signals'

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

/**
 * signals.ts tells what changed on the page; what a change means is policy.ts's pageDecision (its table is
 * in policy.test.ts) and how the client applies it, clientPageSignals.test.ts.
 */
function follow(page: FakePage): { events: PageEvent[], stop: () => void } {
  const events: PageEvent[] = []
  const stop = followPage(page, event => events.push(event))
  return { events, stop }
}

afterEach(() => {
  vi.useRealTimers()
})

// docs/guide/core.md: "without it the core assumes a visible page that is online".
describe('readPage', () => {
  it('is null without page signals: the page counts as visible and online', () => {
    expect(readPage(undefined)).toBeNull()
  })

  it('reads the page afresh on every call', () => {
    const page = fakePage()
    expect(readPage(page)).toEqual({ hidden: false, online: true })
    page.isHidden = true
    expect(readPage(page)).toEqual({ hidden: true, online: true })
    page.isOnline = false
    expect(readPage(page)).toEqual({ hidden: true, online: false })
  })
})

describe('followPage: listening', () => {
  it('subscribes once per call, and the function it returns unsubscribes once', () => {
    const page = fakePage()
    const { stop } = follow(page)
    expect(page.subscribed).toBe(1)
    expect(page.listeners.size).toBe(1)
    stop()
    expect(page.unsubscribed).toBe(1)
    expect(page.listeners.size).toBe(0)
  })

  it('reports no change after it stops', () => {
    const page = fakePage()
    const { events, stop } = follow(page)
    stop()
    page.change({ hidden: true })
    page.change({ online: false })
    page.change({ online: true, hidden: false })
    expect(events).toEqual([])
  })

  it('follows revivals where the page reports them, and stops following them too', () => {
    const page = fakePage()
    let revive: ((reason: 'pageshow' | 'resume') => void) | null = null
    page.subscribeRevive = (listener) => {
      revive = listener
      return () => {
        revive = null
      }
    }
    const { events, stop } = follow(page)
    revive!('pageshow')
    revive!('resume')
    expect(events).toEqual([{ kind: 'revive', reason: 'pageshow' }, { kind: 'revive', reason: 'resume' }])
    stop()
    expect(revive).toBeNull()
  })
})

describe('followPage: what changed', () => {
  it('reports each change with the page as it is now', () => {
    const page = fakePage()
    const { events } = follow(page)
    page.change({ hidden: true })
    page.change({ online: false })
    expect(events.map(e => e.kind === 'change' && e.page)).toEqual([{ hidden: true, online: true }, { hidden: true, online: false }])
  })

  it('says the network came back only on the change that brings it back, once per return', () => {
    const page = fakePage()
    const { events } = follow(page)
    page.change({ online: false })
    page.change({ online: true })
    // A second "online" notice with the network already up is no return.
    page.change({ online: true })
    page.change({ hidden: true })
    expect(events.map(e => e.kind === 'change' && e.cameOnline)).toEqual([false, true, false, false])
  })

  it('knows the page started offline: the first change back online is a return', () => {
    const page = fakePage({ online: false })
    const { events } = follow(page)
    page.change({ online: true })
    expect(events.map(e => e.kind === 'change' && e.cameOnline)).toEqual([true])
  })

  it('says how long the page was hidden on the change that shows it again, and only then', () => {
    vi.useFakeTimers()
    const page = fakePage()
    const { events } = follow(page)
    page.change({ hidden: true })
    vi.advanceTimersByTime(60_000)
    page.change({ online: false })
    vi.advanceTimersByTime(5_000)
    page.change({ hidden: false })
    page.change({ online: true })
    expect(events.map(e => e.kind === 'change' && e.hiddenFor)).toEqual([null, null, 65_000, null])
  })

  it('counts a page that started hidden as hidden from the moment it is followed', () => {
    vi.useFakeTimers()
    const page = fakePage({ hidden: true })
    const { events } = follow(page)
    vi.advanceTimersByTime(1234)
    page.change({ hidden: false })
    expect(events.map(e => e.kind === 'change' && e.hiddenFor)).toEqual([1234])
  })
})
