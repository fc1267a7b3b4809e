import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { launchChromium, startPlayground } from './harness'

// The playground's "Many streams" demo opens eight streams to its own origin. Over HTTP/1.1 (`npm run
// dev`) Chromium allows six connections per origin: two streams wait, then fail with connect-timeout
// naming the limit. Over HTTP/2 (`npm run dev:h2`) they share one connection and all eight are OPEN.
// docs/deploying.md ("HTTP/2 and the per-origin limit") describes the demo.

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

async function statuses(http2: boolean): Promise<{ protocol: string, statuses: string[], errors: string[] }> {
  const playground = await startPlayground(http2)
  const context = await browser.newContext({ ignoreHTTPSErrors: true })
  try {
    const page = await context.newPage()
    await page.goto(`${playground.url}/#/many`)
    const text = async (selector: string): Promise<string> => (await page.locator(`[data-test="${selector}"]`).textContent() ?? '').trim()
    await vi.waitFor(async () => {
      const all = await Promise.all(Array.from({ length: 8 }, (_, i) => text(`status-${i}`)))
      expect(all.every(s => s === 'OPEN' || s === 'CLOSED')).toBe(true)
      expect(all.filter(s => s === 'OPEN').length).toBeGreaterThanOrEqual(6)
    }, { timeout: 15_000, interval: 200 })
    const all = await Promise.all(Array.from({ length: 8 }, (_, i) => text(`status-${i}`)))
    const errors = await page.locator('[data-test^="error-"]').allTextContents()
    return { protocol: await text('protocol'), statuses: all, errors }
  }
  finally {
    await context.close()
    await playground.close()
  }
}

describe('eight streams to one origin, in Chromium', { timeout: 60_000 }, () => {
  it('over HTTP/1.1, six are OPEN and two fail with connect-timeout naming the per-origin limit', async () => {
    const { protocol, statuses: all, errors } = await statuses(false)
    expect(protocol).toBe('http/1.1')
    expect(all.filter(s => s === 'OPEN')).toHaveLength(6)
    expect(errors).toHaveLength(2)
    for (const error of errors) {
      expect(error).toMatch(/^connect-timeout: /)
      expect(error).toContain('per-origin limit')
      expect(error).toContain('HTTP/2')
    }
  })

  it('over HTTP/2 (npm run dev:h2), all eight are OPEN', async () => {
    const { protocol, statuses: all, errors } = await statuses(true)
    expect(protocol).toBe('h2')
    expect(all).toEqual(Array.from({ length: 8 }, () => 'OPEN'))
    expect(errors).toEqual([])
  })
})
