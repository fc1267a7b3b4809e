import type { ResyncInfo } from '../../src/index'
import { describe, expect, it, vi } from 'vitest'
import { createEventSource, pageSignals } from '../../src/index'
import { server, stats, uniqueKey } from './stats'

// The rule: after a back/forward-cache restore, a resume from freeze, or a hide longer than
// `resyncAfterHidden`, a stream that reads OPEN may be dead: the client replaces it at once, resuming
// with Last-Event-ID, and tells the app the gap through onResync. These fire the page's own lifecycle
// events in Chromium (the test page is an iframe, which cannot be navigated or frozen by itself).
// docs/deploying.md ("Mobile and background tabs") promises this.

function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => hidden ? 'hidden' : 'visible' })
  document.dispatchEvent(new Event('visibilitychange'))
}

async function openStream(options: { resyncAfterHidden?: number } = {}): Promise<{ key: string, ids: string[], resyncs: ResyncInfo[], close: () => void }> {
  const key = uniqueKey()
  const ids: string[] = []
  const resyncs: ResyncInfo[] = []
  const client = createEventSource(server.route('forever', { key, interval: 20 }), { signals: pageSignals(), onResync: info => resyncs.push(info), ...options })
  client.on('message', m => ids.push(m.lastEventId))
  client.open()
  await vi.waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(3))
  return { key, ids, resyncs, close: () => client.close() }
}

/** After a resync: a second request resuming from an id the client had, and ids with no gap or duplicate. */
async function expectResumed(key: string, ids: string[]): Promise<void> {
  await vi.waitFor(async () => expect((await stats(key)).requests).toHaveLength(2))
  const resumedFrom = (await stats(key)).requests[1]!.headers['last-event-id']
  expect(ids).toContain(resumedFrom)
  const count = ids.length
  await vi.waitFor(() => expect(ids.length).toBeGreaterThan(count + 2))
  expect(ids.map(Number)).toEqual(ids.map((_, i) => i + 1))
}

describe('the page lifecycle, in Chromium', () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a back/forward-cache restore (pageshow, persisted) replaces the connection and tells onResync', async () => {
    const { key, ids, resyncs, close } = await openStream()
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    expect(resyncs).toHaveLength(1)
    expect(resyncs[0]!.reason).toBe('pageshow')
    expect(resyncs[0]!.lastEventId).toBe(ids.at(-1))
    expect(resyncs[0]!.gapMs).toBeGreaterThanOrEqual(0)
    await expectResumed(key, ids)
    close()
  })

  it('a pageshow that is not a restore changes nothing', async () => {
    const { key, resyncs, close } = await openStream()
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }))
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(resyncs).toEqual([])
    expect((await stats(key)).requests).toHaveLength(1)
    close()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a resume after freeze replaces the connection and tells onResync', async () => {
    const { key, ids, resyncs, close } = await openStream()
    document.dispatchEvent(new Event('freeze'))
    document.dispatchEvent(new Event('resume'))
    expect(resyncs.map(r => r.reason)).toEqual(['resume'])
    await expectResumed(key, ids)
    close()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a hide longer than resyncAfterHidden replaces the connection when visible again; a short one does not', async () => {
    const { key, ids, resyncs, close } = await openStream({ resyncAfterHidden: 300 })
    setHidden(true)
    await new Promise(resolve => setTimeout(resolve, 50))
    setHidden(false)
    expect(resyncs).toEqual([])
    setHidden(true)
    await new Promise(resolve => setTimeout(resolve, 350))
    setHidden(false)
    expect(resyncs.map(r => r.reason)).toEqual(['hidden'])
    await expectResumed(key, ids)
    close()
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a closed client is left closed', async () => {
    const { key, resyncs, close } = await openStream()
    close()
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(resyncs).toEqual([])
    expect((await stats(key)).requests).toHaveLength(1)
  })
})
