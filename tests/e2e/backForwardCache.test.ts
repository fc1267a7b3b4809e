import type { Browser } from 'playwright'
import { chromium } from 'playwright'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { chromiumLaunch } from '../support/chromium'
import { uniqueKey, useTestServer } from '../support/helpers'
import { startFixtureServer } from './harness'

// A real back/forward-cache restore in Chromium (Playwright turns the cache off by default; this test
// turns it back on). Measured here: the page keeps its `fetch` stream across the cache, but the stream is
// dead when the page comes back, and reads OPEN. The rule: on `pageshow` with `persisted`, the client
// replaces it at once, resuming with Last-Event-ID, and tells onResync. docs/deploying.md ("Mobile and
// background tabs") describes this restore.

interface PageView { ids: string[], resyncs: { reason: string, lastEventId: string }[], shows: boolean[], readyState: number }

const server = useTestServer()
let fixtures: Awaited<ReturnType<typeof startFixtureServer>>
let browser: Browser

beforeAll(async () => {
  fixtures = await startFixtureServer()
  browser = await chromium.launch({ ...chromiumLaunch, headless: true, ignoreDefaultArgs: ['--disable-back-forward-cache'] })
})
afterAll(async () => {
  await browser?.close()
  await fixtures?.close()
})

describe('the back/forward cache, in Chromium', { timeout: 30_000 }, () => {
  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('a page restored from the cache replaces its dead stream, resuming with Last-Event-ID, and tells onResync', async () => {
    const key = uniqueKey()
    const page = await browser.newPage()
    const view = (): Promise<PageView> => page.evaluate(() => {
      const p = (globalThis as unknown as { page: { ids: string[], resyncs: { reason: string, lastEventId: string }[], shows: boolean[], readyState: () => number } }).page
      return { ids: [...p.ids], resyncs: p.resyncs.map(r => ({ reason: r.reason, lastEventId: r.lastEventId })), shows: [...p.shows], readyState: p.readyState() }
    })
    await page.goto(`${fixtures.url}/tests/e2e/fixtures/lifecycle.html?stream=${encodeURIComponent(server.current.route('forever', { key, interval: 30 }))}`)
    await vi.waitFor(async () => expect((await view()).ids.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 })
    await page.click('#away')
    await page.waitForURL(/blank\.html/)
    await page.goBack({ waitUntil: 'commit' })
    await vi.waitFor(async () => expect((await view()).shows).toContain(true), { timeout: 5000 })
    const restored = await view()
    // Chromium fires `resume` (the cached page was frozen) and then `pageshow`: one replacement, once.
    expect(restored.resyncs).toHaveLength(1)
    expect(['resume', 'pageshow']).toContain(restored.resyncs[0]!.reason)
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2), { timeout: 5000 })
    expect(restored.resyncs[0]!.lastEventId).not.toBe('')
    expect(restored.ids).toContain(server.current.stats(key).requests[1]!.headers['last-event-id'])
    const count = restored.ids.length
    await vi.waitFor(async () => expect((await view()).ids.length).toBeGreaterThan(count + 3), { timeout: 5000 })
    const after = await view()
    expect(after.ids.map(Number)).toEqual(after.ids.map((_, i) => i + 1))
    expect(after.readyState).toBe(1)
    expect(server.current.stats(key).requests).toHaveLength(2)
    await page.close()
  })
})
