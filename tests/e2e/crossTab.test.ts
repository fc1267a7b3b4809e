import type { Browser, BrowserContext, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { sleep, uniqueKey, useTestServer } from '../support/helpers'
import { launchChromium, startFixtureServer } from './harness'

interface TabView { received: string[], relayed: string[], states: number[], role: string, status: string, tokenCalls: number }

const server = useTestServer()
let fixtures: Awaited<ReturnType<typeof startFixtureServer>>
let browser: Browser

beforeAll(async () => {
  fixtures = await startFixtureServer()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await fixtures?.close()
})

async function view(page: Page): Promise<TabView> {
  return page.evaluate(() => {
    const tab = (globalThis as unknown as { tab?: { received: string[], relayed: string[], states: number[], role: () => string, status: () => string, tokenCalls: () => number } }).tab
    return tab === undefined
      ? { received: [], relayed: [], states: [], role: 'none', status: 'none', tokenCalls: 0 }
      : { received: [...tab.received], relayed: [...tab.relayed], states: [...tab.states], role: tab.role(), status: tab.status(), tokenCalls: tab.tokenCalls() }
  })
}

/** Waits until every tab has received at least three events. */
async function untilEveryTabHasEvents(pages: Page[]): Promise<void> {
  await vi.waitFor(async () => expect((await Promise.all(pages.map(view))).every(v => v.received.length >= 3)).toBe(true), { timeout: 10_000 })
}

/** Waits until the key has no connection open and no request has arrived or ended for `quiet` ms. */
async function untilQuiet(key: string, quiet: number): Promise<void> {
  await vi.waitFor(() => {
    const { open, requests } = server.current.stats(key)
    const lastActivity = Math.max(...requests.map(r => r.endedAt ?? Date.now()))
    const timeline = requests.map(r => `${r.at}–${r.endedAt ?? 'open'}`).join(', ')
    expect(open, `open connections (requests: ${timeline})`).toBe(0)
    expect(Date.now() - lastActivity, `ms since the last request arrived or ended (requests: ${timeline})`).toBeGreaterThanOrEqual(quiet)
  }, { timeout: 10_000, interval: 50 })
}

/** Ids must run 1, 2, 3, … from the first one received: no gap and no duplicate. */
function expectContiguous(ids: string[]): void {
  const numbers = ids.map(Number)
  expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => numbers[0]! + i))
}

async function openTabs(context: BrowserContext, stream: string, count: number, token?: string, pauseWhenHidden = false): Promise<Page[]> {
  const pages: Page[] = []
  const query = `stream=${encodeURIComponent(stream)}${token === undefined ? '' : `&token=${token}`}${pauseWhenHidden ? '&pauseWhenHidden' : ''}`
  for (let i = 0; i < count; i++) {
    const page = await context.newPage()
    await page.goto(`${fixtures.url}/tests/e2e/fixtures/crossTab.html?${query}`)
    pages.push(page)
  }
  return pages
}

describe('a stream shared across tabs, in Chromium', { timeout: 30_000 }, () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('three tabs, one connection: every tab gets every event; when the leader tab closes, another takes over with no gap and no duplicate', async () => {
    const key = uniqueKey()
    const context = await browser.newContext()
    const pages = await openTabs(context, server.current.route('forever', { key, interval: 40 }), 3)
    await vi.waitFor(async () => {
      const views = await Promise.all(pages.map(view))
      expect(views.every(v => v.received.length >= 5)).toBe(true)
    }, { timeout: 10_000 })
    const views = await Promise.all(pages.map(view))
    expect(views.map(v => v.role).sort()).toEqual(['follower', 'follower', 'leader'])
    expect(views.every(v => v.status === 'OPEN')).toBe(true)
    expect(server.current.stats(key).requests).toHaveLength(1)
    expect(server.current.stats(key).open).toBe(1)
    for (const v of views)
      expectContiguous(v.received)

    const leader = pages[views.findIndex(v => v.role === 'leader')]!
    const rest = pages.filter(page => page !== leader)
    const lastBefore = Math.max(...(await Promise.all(rest.map(view))).map(v => Number(v.received.at(-1))))
    const closedAt = Date.now()
    await leader.close()
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2), { timeout: 5000 })
    const handover = Date.now() - closedAt
    const resumedFrom = Number(server.current.stats(key).requests[1]!.headers['last-event-id'])
    expect(resumedFrom).toBeGreaterThanOrEqual(lastBefore)
    await vi.waitFor(async () => {
      const after = await Promise.all(rest.map(view))
      expect(after.every(v => Number(v.received.at(-1)) >= resumedFrom + 5)).toBe(true)
    }, { timeout: 5000 })
    const after = await Promise.all(rest.map(view))
    expect(after.map(v => v.role).sort()).toEqual(['follower', 'leader'])
    for (const v of after)
      expectContiguous(v.received)
    expect(server.current.stats(key).open).toBe(1)
    // docs/guide/shared.md: "the hand-over takes well under a second" (about 70 ms here).
    expect(handover).toBeLessThan(1000)
    await context.close()
    await server.current.waitForOpen(key, 0)
  })

  it('keeps the token in each tab: a follower reads it once, to know whose stream it joins, and no message between tabs carries it', async () => {
    const key = uniqueKey()
    const context = await browser.newContext()
    const pages = await openTabs(context, server.current.route('authed', { key, count: 100000, interval: 40 }), 3, 'good-token')
    await vi.waitFor(async () => {
      const views = await Promise.all(pages.map(view))
      expect(views.map(v => [v.role, v.received.length >= 2, v.relayed.length > 0])).toEqual(expect.arrayContaining([['leader', true, true], ['follower', true, true]]))
    }, { timeout: 10_000 })
    const views = await Promise.all(pages.map(view))
    // Issue 28: whose stream a tab joins is part of its key, so each tab reads its own token once; only the
    // leader reads it again, for its requests.
    expect(views.filter(v => v.role === 'follower').map(v => v.tokenCalls)).toEqual([1, 1])
    expect(views.find(v => v.role === 'leader')!.tokenCalls).toBeGreaterThanOrEqual(2)
    expect(server.current.stats(key).requests.map(r => r.headers.authorization)).toEqual(['Bearer good-token'])
    const relayed = views.flatMap(v => v.relayed)
    expect(relayed.some(message => message.includes('"t":"event"'))).toBe(true)
    expect(relayed.filter(message => message.includes('good-token'))).toEqual([])
    await context.close()
  })

  // Issue 28, part 1 (docs/guide/shared.md, "Logout and switching users"): tabs share a connection only
  // with the same credentials, and a tab whose user changes reconnects as that user.
  it('tabs of other users never share; a tab that signs in as another user leaves for a connection of its own', async () => {
    const key = uniqueKey()
    server.current.tokens.add('other-token')
    const context = await browser.newContext()
    const stream = server.current.route('authed', { key, count: 100000, interval: 40 })
    const pages = await openTabs(context, stream, 2, 'good-token')
    await untilEveryTabHasEvents(pages)
    expect(server.current.stats(key).requests.map(r => r.headers.authorization)).toEqual(['Bearer good-token'])
    const other = (await openTabs(context, stream, 1, 'other-token'))[0]!
    await untilEveryTabHasEvents([other])
    expect((await view(other)).role).toBe('leader')
    expect(server.current.stats(key).requests.map(r => r.headers.authorization)).toEqual(['Bearer good-token', 'Bearer other-token'])
    // The follower of the two good-token tabs signs in as the other user: it joins the other-token stream.
    const views = await Promise.all(pages.map(view))
    const follower = pages[views.findIndex(v => v.role === 'follower')]!
    await follower.evaluate(() => (globalThis as unknown as { tab: { setToken: (token: string) => void } }).tab.setToken('other-token'))
    await vi.waitFor(async () => expect((await view(follower)).relayed.some(m => m.includes('"t":"event"'))).toBe(true), { timeout: 5000 })
    const before = (await view(follower)).received.length
    await vi.waitFor(async () => expect((await view(follower)).received.length).toBeGreaterThan(before + 2), { timeout: 5000 })
    await sleep(200)
    // No new request: it joined the other user's connection across tabs; the good-token one goes on for its last tab.
    expect(server.current.stats(key).requests.map(r => r.headers.authorization)).toEqual(['Bearer good-token', 'Bearer other-token'])
    expect(server.current.stats(key).open).toBe(2)
    await context.close()
    await server.current.waitForOpen(key, 0)
  })

  it('takes over when the leader tab crashes', async () => {
    const key = uniqueKey()
    const context = await browser.newContext()
    const pages = await openTabs(context, server.current.route('forever', { key, interval: 40 }), 2)
    await vi.waitFor(async () => {
      const views = await Promise.all(pages.map(view))
      expect(views.map(v => v.role).sort()).toEqual(['follower', 'leader'])
      expect(views.every(v => v.received.length >= 3)).toBe(true)
    }, { timeout: 10_000 })
    const views = await Promise.all(pages.map(view))
    const leader = pages[views.findIndex(v => v.role === 'leader')]!
    const follower = pages.find(page => page !== leader)!
    const session = await context.newCDPSession(leader)
    const crashed = leader.waitForEvent('crash')
    // The renderer dies before it can answer, so the command itself never settles.
    void session.send('Page.crash').catch(() => {})
    await crashed
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2), { timeout: 5000 })
    await vi.waitFor(async () => expect((await view(follower)).role).toBe('leader'), { timeout: 5000 })
    await sleep(300)
    expectContiguous((await view(follower)).received)
    await context.close()
    await server.current.waitForOpen(key, 0)
  })

  it('a hand-over reaches Vue DevTools even after the component that created the tab\'s connection has gone', async () => {
    const key = uniqueKey()
    const stream = server.current.route('forever', { key, interval: 40 })
    const context = await browser.newContext()
    const [leader] = await openTabs(context, stream, 1)
    await untilEveryTabHasEvents([leader!])
    const follower = await context.newPage()
    await follower.goto(`${fixtures.url}/tests/e2e/fixtures/crossTabSubscribers.html?stream=${encodeURIComponent(stream)}`)
    const tab = (page: Page): Promise<{ handovers: string[], role: string }> => page.evaluate(() => {
      const { handovers, role } = (globalThis as unknown as { tab: { handovers: string[], role: () => string } }).tab
      return { handovers: [...handovers], role: role() }
    })
    await vi.waitFor(async () => expect((await tab(follower)).role).toBe('follower'), { timeout: 10_000 })
    await follower.evaluate(() => (globalThis as unknown as { tab: { dropFirst: () => void } }).tab.dropFirst())
    await leader!.close()
    await vi.waitFor(async () => expect((await tab(follower)).role).toBe('leader'), { timeout: 10_000 })
    await vi.waitFor(async () => expect((await tab(follower)).handovers).toContain('follower → leader'), { timeout: 5000 })
    await context.close()
  })

  it('an error reaches every tab as the leader saw it: same type, same message', async () => {
    // The URL is checked at connect time, in the leader: an invalid-option error naming it, then CLOSED.
    const context = await browser.newContext()
    const pages = await openTabs(context, `ftp://127.0.0.1/${uniqueKey()}`, 2)
    const errorOf = (page: Page): Promise<{ type: string, message: string } | null> =>
      page.evaluate(() => (globalThis as unknown as { tab: { error: () => { type: string, message: string } | null } }).tab.error())
    await vi.waitFor(async () => expect((await Promise.all(pages.map(errorOf))).every(error => error !== null)).toBe(true), { timeout: 10_000 })
    const [first, second] = await Promise.all(pages.map(errorOf))
    expect(first).toMatchObject({ type: 'invalid-option', message: expect.stringMatching(/^Invalid url: only http: and https: URLs/) })
    expect(second).toEqual(first)
    await context.close()
  })

  it('a tab that leaves while others stay hands the connection on; the last one out closes it', async () => {
    const key = uniqueKey()
    const context = await browser.newContext()
    const pages = await openTabs(context, server.current.route('forever', { key, interval: 40 }), 2)
    await untilEveryTabHasEvents(pages)
    for (const page of pages)
      await page.close()
    // The tab closed last may have sent its take-over request just before it went, and the server may hear
    // of that request after it has heard the first connection close. So the sync point is not the first
    // moment with no connection open, but the key going quiet: none open and nothing arriving or closing
    // for 300 ms. A connection left open by the last tab out never lets that happen.
    await untilQuiet(key, 300)
    expect(server.current.stats(key).open).toBe(0)
    expect(server.current.stats(key).requests.every(r => r.endedAt !== undefined)).toBe(true)
    await context.close()
  })
})

/**
 * Makes the page hidden (or visible) as far as its scripts can tell: headless Chromium keeps every page
 * visible, even with its window minimized, so the test sets `visibilityState` and fires the event.
 */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value ? 'hidden' : 'visible' })
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value })
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)
}

/** The tabs whose role is `role`. */
async function withRole(pages: Page[], role: string): Promise<Page[]> {
  const views = await Promise.all(pages.map(view))
  return pages.filter((_, i) => views[i]!.role === role)
}

describe('hand-overs between tabs, in Chromium', { timeout: 40_000 }, () => {
  it('when the leader\'s last subscriber unmounts, followers never see CLOSED, and the stream goes on with no gap and no duplicate', async () => {
    const key = uniqueKey()
    const context = await browser.newContext()
    const pages = await openTabs(context, server.current.route('forever', { key, interval: 30 }), 3)
    await untilEveryTabHasEvents(pages)
    const [leader] = await withRole(pages, 'leader')
    const rest = pages.filter(page => page !== leader)
    await leader!.evaluate(() => (globalThis as unknown as { tab: { unmount: () => void } }).tab.unmount())
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2), { timeout: 5000 })
    const resumedAt = (await Promise.all(rest.map(view))).map(v => v.received.length)
    await vi.waitFor(async () => {
      const after = await Promise.all(rest.map(view))
      expect(after.every((v, i) => v.received.length >= resumedAt[i]! + 5)).toBe(true)
    }, { timeout: 5000 })
    for (const v of await Promise.all(rest.map(view))) {
      const opened = v.states.indexOf(1)
      expect(v.states.slice(opened)).not.toContain(2)
      expectContiguous(v.received)
    }
    expect((await Promise.all(rest.map(view))).map(v => v.role).sort()).toEqual(['follower', 'leader'])
    await context.close()
    await server.current.waitForOpen(key, 0)
  })

  it('with pauseWhenHidden, a visible tab takes the connection over from a hidden leader at once, and the hidden one steps down', async () => {
    const key = uniqueKey()
    const context = await browser.newContext()
    const pages = await openTabs(context, server.current.route('forever', { key, interval: 30 }), 2, undefined, true)
    await untilEveryTabHasEvents(pages)
    const [leader] = await withRole(pages, 'leader')
    const follower = pages.find(page => page !== leader)!
    const hiddenAt = Date.now()
    await setHidden(leader!, true)
    await vi.waitFor(async () => expect((await view(follower)).role).toBe('leader'), { timeout: 5000 })
    const tookOver = Date.now() - hiddenAt
    const count = (await view(follower)).received.length
    await vi.waitFor(async () => expect((await view(follower)).received.length).toBeGreaterThanOrEqual(count + 5), { timeout: 5000 })
    expectContiguous((await view(follower)).received)
    expect((await view(follower)).states.slice((await view(follower)).states.indexOf(1))).not.toContain(2)
    await vi.waitFor(() => expect(server.current.stats(key).open).toBe(1), { timeout: 5000 })
    expect(tookOver).toBeLessThan(2500)
    await context.close()
    await server.current.waitForOpen(key, 0)
  })

  it('a leader whose main thread hangs is taken over; once it is free it steps down without reconnecting, and no tab sees a gap or a duplicate', async () => {
    const key = uniqueKey()
    const context = await browser.newContext()
    const pages = await openTabs(context, server.current.route('forever', { key, interval: 30 }), 3)
    await untilEveryTabHasEvents(pages)
    const [leader] = await withRole(pages, 'leader')
    const rest = pages.filter(page => page !== leader)
    // A busy tab: its main thread runs one task for 6 s, holding the Web Lock all along.
    const hung = leader!.evaluate(() => {
      const until = Date.now() + 6000
      let spins = 0
      while (Date.now() < until)
        spins++
      return spins
    })
    const frozenAt = Date.now()
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2), { timeout: 8000 })
    const tookOver = Date.now() - frozenAt
    await vi.waitFor(async () => expect((await withRole(rest, 'leader'))).toHaveLength(1), { timeout: 5000 })
    await hung
    await vi.waitFor(async () => expect((await view(leader!)).role).toBe('follower'), { timeout: 5000 })
    await vi.waitFor(() => expect(server.current.stats(key).open).toBe(1), { timeout: 5000 })
    const count = (await Promise.all(rest.map(view))).map(v => v.received.length)
    await vi.waitFor(async () => expect((await Promise.all(rest.map(view))).every((v, i) => v.received.length >= count[i]! + 5)).toBe(true), { timeout: 5000 })
    for (const v of await Promise.all(rest.map(view)))
      expectContiguous(v.received)
    expect(server.current.stats(key).requests).toHaveLength(2)
    // docs/guide/shared.md: "a started leader silent for 2 s … is taken over; its followers hear nothing for
    // at most 3 s" (issue 30: they heard nothing for 3.4 s with 3 s and a check every second). Not earlier
    // than the 2 s (its events were heard until it hung), and every follower's longest silence under 3 s.
    expect(tookOver).toBeGreaterThanOrEqual(1800)
    const silences = await Promise.all(rest.map(page => page.evaluate(() => {
      const at = (globalThis as unknown as { tab: { receivedAt: number[] } }).tab.receivedAt
      return Math.max(...at.slice(1).map((time, i) => time - at[i]!))
    })))
    expect(Math.max(...silences)).toBeLessThan(3000)
    await context.close()
    await server.current.waitForOpen(key, 0)
  })
})
