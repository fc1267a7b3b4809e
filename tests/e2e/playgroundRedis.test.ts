import type { Browser, BrowserContext, Page } from 'playwright'
import process from 'node:process'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { answerTo as chatAnswer } from '../../playground/server/endpoints/chat'
import { startRedis } from '../support/redis'
import { launchChromium, startPlayground } from './harness'

// The playground's chat demo with REDIS_URL set: its runs are kept by resumable-stream in a real Redis
// (Debian's redis-server), as docs/guide/resumable-runs.md describes for a deployment of several instances.
let redis: Awaited<ReturnType<typeof startRedis>>
let playground: Awaited<ReturnType<typeof startPlayground>>
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  redis = await startRedis()
  process.env.REDIS_URL = redis.url
  playground = await startPlayground().finally(() => delete process.env.REDIS_URL)
  browser = await launchChromium()
})
beforeEach(async () => {
  context = await browser.newContext()
  page = await context.newPage()
})
afterEach(async () => {
  await context.close()
})
afterAll(async () => {
  await browser?.close()
  await playground?.close()
  await redis?.close()
})

const text = async (selector: string): Promise<string> => (await page.locator(`[data-test="${selector}"]`).first().textContent() ?? '').trim()
const until = (check: () => Promise<void>, timeout = 10_000): Promise<void> => vi.waitFor(check, { timeout, interval: 100 })

describe('the playground chat with REDIS_URL, in Chromium', { timeout: 60_000 }, () => {
  it('keeps its runs in Redis: a dropped connection and a reload are read again by GET, each word once, one POST', async () => {
    await page.goto(`${playground.url}/#/chat`)
    await until(async () => expect(await text('store')).toContain('in Redis'))
    await page.fill('[data-test="prompt"]', 'In Redis?')
    await page.click('[data-test="send"]')
    await until(async () => expect((await text('answer')).length).toBeGreaterThan(40), 10_000)
    await until(async () => expect(await text('status')).toBe('OPEN'))
    await page.click('[data-test="drop"]')
    await until(async () => expect((await text('answer')).length).toBeGreaterThan(90), 10_000)
    await Promise.all([page.waitForEvent('load'), page.click('[data-test="reload"]')])
    await until(async () => expect(await text('posts')).toBe('1'), 30_000)
    expect(await text('answer')).toBe(chatAnswer('In Redis?'))
    expect(Number(await text('resumes'))).toBeGreaterThanOrEqual(2)
    expect(await text('error')).toBe('—')
  })
})
