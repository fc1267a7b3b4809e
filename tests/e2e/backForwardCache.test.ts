import type { Browser, Page } from 'playwright'
import type { LastEventIdRunServer } from '../fixtures/servers/runs/lastEventId'
import { chromium } from 'playwright'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startLastEventIdRunServer } from '../fixtures/servers/runs/lastEventId'
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
// A Last-Event-ID run server on another 127.0.0.1 port: 150 events 40 ms apart (6 s), so a run is still
// under way when the page comes back from the cache even on a busy machine.
let runs: LastEventIdRunServer
const RUN_EVENTS = 150

beforeAll(async () => {
  fixtures = await startFixtureServer()
  runs = await startLastEventIdRunServer({ events: RUN_EVENTS, intervalMs: 40 })
  browser = await chromium.launch({ ...chromiumLaunch, headless: true, ignoreDefaultArgs: ['--disable-back-forward-cache'] })
})
afterAll(async () => {
  await browser?.close()
  await fixtures?.close()
  await runs?.close()
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

interface RunView extends PageView { states: number[], errors: string[], done: boolean, error: string | null }

/** The run's event numbers as the page delivered them, from the ids `<runId>-<n>`. */
const numbers = (ids: string[]): number[] => ids.map(id => Number(id.slice(id.lastIndexOf('-') + 1)))
const oneToN = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)

/**
 * Opens the lifecycle page on a POST run (`?resume` with `resume`), waits for a few events, goes to
 * another page and back, restored from the cache. `whileAway` runs while the page is in the cache.
 */
async function runAwayAndBack(query: string, whileAway: () => void = () => {}): Promise<{ page: Page, view: () => Promise<RunView>, requests: () => LastEventIdRunServer['requests'] }> {
  const before = runs.requests.length
  const page = await browser.newPage()
  const view = (): Promise<RunView> => page.evaluate(() => {
    const p = (globalThis as unknown as { page: { ids: string[], resyncs: { reason: string, lastEventId: string }[], shows: boolean[], states: number[], errors: string[], readyState: () => number, done: () => boolean, error: () => string | null } }).page
    return { ids: [...p.ids], resyncs: p.resyncs.map(r => ({ reason: r.reason, lastEventId: r.lastEventId })), shows: [...p.shows], states: [...p.states], errors: [...p.errors], readyState: p.readyState(), done: p.done(), error: p.error() }
  })
  await page.goto(`${fixtures.url}/tests/e2e/fixtures/lifecycle.html?post${query}&stream=${encodeURIComponent(`${runs.url}/api/runs`)}`)
  await vi.waitFor(async () => expect((await view()).ids.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 })
  await page.click('#away')
  await page.waitForURL(/blank\.html/)
  whileAway()
  await page.goBack({ waitUntil: 'commit' })
  // Restored from the cache, not loaded again (which would start another run with a POST of its own).
  await vi.waitFor(async () => expect((await view()).shows).toEqual([false, true]), { timeout: 10_000 })
  return { page, view, requests: () => runs.requests.slice(before) }
}

describe('a POST run and the back/forward cache, in Chromium', { timeout: 40_000 }, () => {
  // Promised in docs/guide/resumable-runs.md ("The POST is sent once") and docs/deploying.md ("Mobile and
  // background tabs"): an open stream is replaced only where the next request is a GET.
  it('without resume, a POST whose connection lived through the cache goes on: not sent again, not replaced, every event once, done', async () => {
    const { page, view, requests } = await runAwayAndBack('')
    await vi.waitFor(async () => expect((await view()).done).toBe(true), { timeout: 20_000 })
    const after = await view()
    expect(numbers(after.ids)).toEqual(oneToN(RUN_EVENTS))
    expect(after.resyncs).toEqual([])
    expect(after.states).toEqual([0, 1, 2])
    expect([after.error, after.errors]).toEqual([null, []])
    expect(requests().map(r => r.method)).toEqual(['POST'])
    await page.close()
  })

  // Promised in docs/guide/resumable-runs.md ("The POST is sent once"): without resume, a break ends it.
  it('without resume, a POST whose connection dropped while the page was in the cache is CLOSED with a network error, never sent again', async () => {
    const { page, view, requests } = await runAwayAndBack('', () => runs.cut())
    await vi.waitFor(async () => expect((await view()).readyState).toBe(2), { timeout: 10_000 })
    const after = await view()
    expect([after.error, after.errors, after.done]).toEqual(['network', ['network'], false])
    expect(numbers(after.ids)).toEqual(oneToN(after.ids.length))
    expect(after.resyncs).toEqual([])
    // Nothing more: no second POST, and no GET (there is no resume URL to read the rest at)
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(requests().map(r => r.method)).toEqual(['POST'])
    expect((await view()).states).toEqual([0, 1, 2])
    await page.close()
  })

  // Promised in docs/guide/resumable-runs.md ("a page back from the back/forward cache ... the rest is read
  // by GET at the resume URL"): a stream back from the cache may be dead, so the run is read again by GET.
  it.each([
    ['lived through the cache', () => {}],
    ['dropped while the page was in the cache', () => runs.cut()],
  ])('with resume, a POST whose connection %s: the rest by GET at the resume URL from the last event ID, every event once in order, one POST', async (_, whileAway) => {
    const { page, view, requests } = await runAwayAndBack('&resume', whileAway)
    await vi.waitFor(async () => expect((await view()).done).toBe(true), { timeout: 20_000 })
    const after = await view()
    expect(numbers(after.ids)).toEqual(oneToN(RUN_EVENTS))
    expect([after.readyState, after.error, after.errors]).toEqual([2, null, []])
    // Replaced once, though Chromium fires both `resume` and `pageshow` on a restore
    expect(after.resyncs).toHaveLength(1)
    expect(['resume', 'pageshow']).toContain(after.resyncs[0]!.reason)
    const sent = requests()
    expect(sent.map(r => r.method)).toEqual(['POST', 'GET'])
    expect(sent[1]!.path).toMatch(/^\/api\/runs\/[\w-]+\/events$/)
    expect([sent[1]!.status, sent[1]!.lastEventId]).toEqual([200, after.resyncs[0]!.lastEventId])
    // The GET read the rest: it started before the run's last event
    expect(numbers([sent[1]!.lastEventId!])[0]).toBeLessThan(RUN_EVENTS)
    expect(after.ids).toContain(sent[1]!.lastEventId)
    await page.close()
  })
})
