import type { Browser, BrowserContext, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { sleep, uniqueKey, useTestServer } from '../support/helpers'
import { launchChromium, startFixtureServer } from './harness'

interface TabView { received: string[], relayed: string[], role: string, status: string, tokenCalls: number }

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
    const tab = (globalThis as unknown as { tab?: { received: string[], relayed: string[], role: () => string, status: () => string, tokenCalls: () => number } }).tab
    return tab === undefined
      ? { received: [], relayed: [], role: 'none', status: 'none', tokenCalls: 0 }
      : { received: [...tab.received], relayed: [...tab.relayed], role: tab.role(), status: tab.status(), tokenCalls: tab.tokenCalls() }
  })
}

/** Ids must run 1, 2, 3, … from the first one received: no gap and no duplicate. */
function expectContiguous(ids: string[]): void {
  const numbers = ids.map(Number)
  expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => numbers[0]! + i))
}

async function openTabs(context: BrowserContext, stream: string, count: number, token?: string): Promise<Page[]> {
  const pages: Page[] = []
  const query = `stream=${encodeURIComponent(stream)}${token === undefined ? '' : `&token=${token}`}`
  for (let i = 0; i < count; i++) {
    const page = await context.newPage()
    await page.goto(`${fixtures.url}/tests/e2e/fixtures/crossTab.html?${query}`)
    pages.push(page)
  }
  return pages
}

describe('a stream shared across tabs, in Chromium', { timeout: 30_000 }, () => {
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
    expect(handover).toBeLessThan(2000)
    await context.close()
    await server.current.waitForOpen(key, 0)
  })

  it('keeps the token in the leader tab: followers never call their token getter and no message between tabs carries it', async () => {
    const key = uniqueKey()
    const context = await browser.newContext()
    const pages = await openTabs(context, server.current.route('authed', { key, count: 100000, interval: 40 }), 3, 'good-token')
    await vi.waitFor(async () => {
      const views = await Promise.all(pages.map(view))
      expect(views.map(v => [v.role, v.received.length >= 2, v.relayed.length > 0])).toEqual(expect.arrayContaining([['leader', true, true], ['follower', true, true]]))
    }, { timeout: 10_000 })
    const views = await Promise.all(pages.map(view))
    expect(views.filter(v => v.role === 'follower').map(v => v.tokenCalls)).toEqual([0, 0])
    expect(views.find(v => v.role === 'leader')!.tokenCalls).toBeGreaterThanOrEqual(1)
    expect(server.current.stats(key).requests.map(r => r.headers.authorization)).toEqual(['Bearer good-token'])
    const relayed = views.flatMap(v => v.relayed)
    expect(relayed.some(message => message.includes('"t":"event"'))).toBe(true)
    expect(relayed.filter(message => message.includes('good-token'))).toEqual([])
    await context.close()
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

  it('a tab that leaves while others stay hands the connection on; the last one out closes it', async () => {
    const key = uniqueKey()
    const context = await browser.newContext()
    const pages = await openTabs(context, server.current.route('forever', { key, interval: 40 }), 2)
    await vi.waitFor(async () => expect((await Promise.all(pages.map(view))).every(v => v.received.length >= 3)).toBe(true), { timeout: 10_000 })
    for (const page of pages)
      await page.close()
    await server.current.waitForOpen(key, 0)
    await sleep(300)
    expect(server.current.stats(key).open).toBe(0)
    await context.close()
  })
})
