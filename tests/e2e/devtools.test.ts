import type { Browser, Frame, Page } from 'playwright'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { launchChromium, projectRoot, startPlayground } from './harness'

// The playground as `npm run dev` serves it, with Vue DevTools in the page (vite-plugin-vue-devtools):
// the "Event streams" inspector lists the demo's stream with its live state, and its timeline shows a
// scheduled reconnection. Screenshots go to test-results/ and their paths to the test output.
// docs/guide/devtools.md: nothing to install, Alt+Shift+D in the playground, the inspector and the timeline.
let playground: Awaited<ReturnType<typeof startPlayground>>
let browser: Browser
const shots = join(projectRoot, 'test-results')

beforeAll(async () => {
  playground = await startPlayground()
  browser = await launchChromium()
  mkdirSync(shots, { recursive: true })
})
afterAll(async () => {
  await browser?.close()
  await playground?.close()
})

async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(shots, `devtools-${name}.png`)
  await page.screenshot({ path })
  process.stdout.write(`screenshot: ${path}\n`)
}

/** The text DevTools shows (innerText: what is rendered, not the style sheets textContent also holds). */
// eslint-disable-next-line unicorn/prefer-dom-node-text-content
const rendered = (frame: Frame): Promise<string> => frame.locator('body').innerText()

/**
 * Opens Vue DevTools in the page (its shortcut) and our inspector in it. DevTools' client loads in an
 * iframe and then connects to the page, which on a busy machine takes a while (a clean-clone CI run once
 * took over 15 s to show the inspector's tab): the tab is looked for in the DevTools frame until it
 * shows, and the shortcut pressed again whenever no DevTools frame is open (as after a page reload).
 */
async function openInspector(page: Page): Promise<Frame> {
  let frame: Frame | undefined
  try {
    await vi.waitFor(async () => {
      frame = page.frames().find(f => f.url().includes('/__devtools__/') && !f.isDetached())
      if (frame === undefined)
        await page.keyboard.press('Alt+Shift+D')
      expect(frame).toBeDefined()
      await frame!.locator('a[href="/custom-inspector-tab-view/vue-event-source"]').click({ timeout: 5_000 })
    }, { timeout: 60_000, interval: 1_000 })
  }
  catch (error) {
    await screenshot(page, 'open-failed')
    throw error
  }
  return frame!
}

describe('the playground\'s Vue DevTools, in Chromium', { timeout: 150_000 }, () => {
  it('the "Event streams" inspector shows the stream, its state and request; its timeline shows a scheduled reconnect', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    // the chaos demo's next connections each stream 8 events and end, so the client schedules reconnections
    await fetch(`${playground.url}/sse/chaos/script`, { method: 'POST', body: JSON.stringify({ faults: ['none', 'none', 'none', 'none'] }) })
    await page.goto(`${playground.url}/#/chaos`)
    await page.locator('[data-test="nav-chaos"].active').waitFor()
    const frame = await openInspector(page)

    const node = frame.getByText(/^GET \/sse\/chaos/).first()
    await node.waitFor({ timeout: 15_000 })
    await node.click()
    await frame.getByText('events received').waitFor()
    const panel = await rendered(frame)
    for (const field of ['readyState', 'attempt', 'retryDelay', 'retryAt', 'lastEventId', 'lastError', 'heartbeatTimeout', 'connectTimeout', 'crossTab', 'events per second'])
      expect(panel).toContain(field)
    expect(panel).toContain('useEventSource')
    await screenshot(page, 'inspector')

    await frame.getByText('Timeline', { exact: true }).click()
    // DevTools records a timeline only once asked to (its record button)
    await frame.locator('.recording-btn').click()
    // the stream's end schedules a reconnection, which then connects and opens
    await vi.waitFor(async () => {
      const timeline = await rendered(frame)
      expect(timeline).toMatch(/reconnect in \d+ ms/)
      expect(timeline).toMatch(/\bopen\b/)
    }, { timeout: 30_000 })
    await screenshot(page, 'timeline')
    await context.close()
  })
})
