import type { Browser, BrowserContext, Page } from 'playwright'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { answerTo as chatAnswer } from '../../playground/server/endpoints/chat'
import { launchChromium, startPlayground } from './harness'

// Every demo of `npm run dev`, driven in Chromium as a person would: navigate, click, type, read the page.
let playground: Awaited<ReturnType<typeof startPlayground>>
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  playground = await startPlayground()
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
})

const text = async (selector: string, on: Page = page): Promise<string> => (await on.locator(`[data-test="${selector}"]`).first().textContent() ?? '').trim()
const number = async (selector: string): Promise<number> => Number(await text(selector))
const until = (check: () => Promise<void>, timeout = 10_000): Promise<void> => vi.waitFor(check, { timeout, interval: 100 })

async function visit(demo: string): Promise<void> {
  await page.goto(`${playground.url}/#/${demo}`)
  await page.locator(`[data-test="nav-${demo}"].active`).waitFor()
}

/** The playground server's own record, read the way the page reads it. */
async function server<T>(path: string, init?: RequestInit): Promise<T> {
  return await (await fetch(`${playground.url}${path}`, init)).json() as T
}

describe('the playground in Chromium', { timeout: 60_000 }, () => {
  it('clock: ticks every 2 s, then the server\'s event: close closes the stream for good; Open again restarts it', async () => {
    await visit('clock')
    await until(async () => expect(await text('status')).toBe('OPEN'))
    await until(async () => expect(await text('latest')).toMatch(/^Tick \d+$/), 5000)
    await until(async () => expect(await text('status')).toBe('CLOSED'), 15_000)
    expect(await text('log')).toContain('The clock has stopped.')
    expect(await text('latest')).toBe('Tick 4')
    await page.click('[data-test="open"]')
    await until(async () => expect(await text('status')).toBe('OPEN'))
  })

  it('named events: separate handlers count notices, updates and plain messages; markup in data stays text', async () => {
    await visit('named')
    await until(async () => {
      for (const type of ['notice', 'update', 'message'])
        expect(await number(`count-${type}`)).toBeGreaterThanOrEqual(3)
    }, 15_000)
    const notices = await text('log')
    expect(notices).toContain('<img src=x onerror="alert(1)"> is just text')
    expect(await page.locator('main img').count()).toBe(0)
  })

  it('secure stream: expiring the token gets a 401, a fresh token, and the stream back; no token ever in a URL', async () => {
    await visit('secure')
    await until(async () => expect(await text('status')).toBe('OPEN'))
    const first = await page.inputValue('[data-test="token"]')
    expect(first).toMatch(/^pg-/)
    expect(await number('tokens-fetched')).toBe(1)
    await page.click('[data-test="expire"]')
    await until(async () => expect(await number('tokens-fetched')).toBe(2))
    await until(async () => expect(await text('status')).toBe('OPEN'))
    expect(await page.inputValue('[data-test="token"]')).not.toBe(first)

    // A token typed by hand that the server does not know: 401, then a fresh one.
    await page.fill('[data-test="token"]', 'pg-made-up')
    await page.click('[data-test="use-token"]')
    await until(async () => expect(await number('tokens-fetched')).toBe(3))
    await until(async () => expect(await text('status')).toBe('OPEN'))

    const log = await server<{ requests: { url: string, status: number }[], tokenEverInUrl: boolean }>('/sse/secure/log')
    expect(log.tokenEverInUrl).toBe(false)
    expect(log.requests.map(r => r.status)).toContain(401)
    await until(async () => expect(await text('token-in-url')).toBe('no'))
  })

  it('resume: a connection dropped mid-event resumes with Last-Event-ID, with no gap and no duplicate', async () => {
    await visit('resume')
    await until(async () => expect(await number('received')).toBeGreaterThanOrEqual(4))
    await page.click('[data-test="drop"]')
    const dropped = await number('received')
    await until(async () => expect(await number('received')).toBeGreaterThan(dropped + 3))
    expect(await number('gaps')).toBe(0)
    expect(await number('duplicates')).toBe(0)
    await until(async () => expect(await text('resumes')).toMatch(/^none, \d+$/))
  })

  it('resume: while the browser is offline no attempt is made; back online it reconnects at once', async () => {
    await visit('resume')
    await until(async () => expect(await number('received')).toBeGreaterThanOrEqual(3))
    await context.setOffline(true)
    await server('/sse/resume/drop', { method: 'POST' })
    await until(async () => expect(await text('status')).toBe('CONNECTING'))
    const requestsWhileOffline = (await server<{ lastEventIds: unknown[] }>('/sse/resume/log')).lastEventIds.length
    await page.waitForTimeout(1500)
    expect(await number('attempt')).toBe(0)
    expect(await text('retry')).toBe('—')
    expect((await server<{ lastEventIds: unknown[] }>('/sse/resume/log')).lastEventIds).toHaveLength(requestsWhileOffline)
    await context.setOffline(false)
    await until(async () => expect(await text('status')).toBe('OPEN'), 3000)
    const before = await number('received')
    await until(async () => expect(await number('received')).toBeGreaterThan(before))
    expect(await number('gaps')).toBe(0)
    expect(await number('duplicates')).toBe(0)
  })

  // The chat demo: docs/guide/resumable-runs.md ("After a reload") shows the same code.
  it('chat: a POST streams the answer token by token, ending with [DONE], sent exactly once', async () => {
    await visit('chat')
    await page.fill('[data-test="prompt"]', 'Is this sent twice?')
    await page.click('[data-test="send"]')
    await until(async () => expect((await text('answer')).length).toBeGreaterThan(10), 5000)
    const partial = await text('answer')
    await until(async () => expect(await text('posts')).toBe('1'), 20_000)
    const answer = await text('answer')
    expect(answer).toBe(chatAnswer('Is this sent twice?'))
    expect(answer.length).toBeGreaterThan(partial.length)
    expect(await text('status')).toBe('CLOSED')
    expect(await text('resumes')).toBe('0')
    // A second question is a second request, and again only one.
    await page.fill('[data-test="prompt"]', 'And this one?')
    await page.click('[data-test="send"]')
    await until(async () => expect(await text('answer')).toContain('And this one?'))
    await until(async () => expect(await text('posts')).toBe('1'), 20_000)
  })

  it('chat: the connection dropped twice mid-answer, the rest read by GET after the last event ID, each word once', async () => {
    await visit('chat')
    await page.fill('[data-test="prompt"]', 'Dropped?')
    await page.click('[data-test="send"]')
    for (const length of [40, 90]) {
      await until(async () => expect((await text('answer')).length).toBeGreaterThan(length), 10_000)
      await until(async () => expect(await text('status')).toBe('OPEN'))
      await page.click('[data-test="drop"]')
    }
    await until(async () => expect(await text('posts')).toBe('1'), 30_000)
    expect(await text('answer')).toBe(chatAnswer('Dropped?'))
    expect(Number(await text('resumes'))).toBeGreaterThanOrEqual(2)
    expect(await text('status')).toBe('CLOSED')
    expect(await text('error')).toBe('—')
  })

  it('chat: a reload mid-answer picks the run up from sessionStorage, by GET, each word once', async () => {
    await visit('chat')
    await page.fill('[data-test="prompt"]', 'Reloaded?')
    await page.click('[data-test="send"]')
    await until(async () => expect((await text('answer')).length).toBeGreaterThan(60), 10_000)
    await Promise.all([page.waitForEvent('load'), page.click('[data-test="reload"]')])
    await until(async () => expect(await text('posts')).toBe('1'), 30_000)
    expect(await text('answer')).toBe(chatAnswer('Reloaded?'))
    expect(Number(await text('resumes'))).toBeGreaterThanOrEqual(1)
    expect(await text('error')).toBe('—')
    expect(await page.evaluate(() => sessionStorage.getItem('playground:chat-run'))).toBeNull()
  })

  it('chat: stop closes the stream and tells the server to stop the run; nothing is read again after', async () => {
    await visit('chat')
    await page.fill('[data-test="prompt"]', 'Stopped?')
    await page.click('[data-test="send"]')
    await until(async () => expect((await text('answer')).length).toBeGreaterThan(40), 10_000)
    const { id } = JSON.parse(await page.evaluate(() => sessionStorage.getItem('playground:chat-run')) ?? '{}') as { id: string }
    await page.click('[data-test="stop"]')
    await until(async () => expect(await text('posts')).toBe('1'))
    expect(await text('status')).toBe('CLOSED')
    expect(await text('error')).toBe('—')
    expect(await text('resumes')).toBe('0')
    expect(await page.evaluate(() => sessionStorage.getItem('playground:chat-run'))).toBeNull()
    // The server stopped producing: the run, read again, ends at once, short of the whole answer.
    const run = await (await fetch(`${playground.url}/sse/chat/runs/${id}`)).text()
    expect(run.trimEnd().endsWith('data: [DONE]')).toBe(true)
    expect(run.split('\n').filter(line => line.startsWith('data: {')).length).toBeLessThan(chatAnswer('Stopped?').split(' ').length)
  })

  it('chaos: a cut, a 503 with Retry-After and a stall are survived with backoff and heartbeat, losing nothing', async () => {
    await server('/sse/chaos/script', { method: 'POST', body: JSON.stringify({ faults: ['cut', 'unavailable', 'stall', 'none'] }) })
    await visit('chaos')
    await until(async () => {
      const log = await text('log')
      expect(log).toContain('http-status: The server answered 503')
      expect(log).toContain('heartbeat-timeout')
      expect(await number('received')).toBeGreaterThanOrEqual(10)
    }, 20_000)
    expect(await text('delays')).toMatch(/attempt \d+: (2\d{3}|[3-9]\d{3}) ms/)
    expect(await number('gaps')).toBe(0)
    expect(await number('duplicates')).toBe(0)
  })

  it('shared: many widgets and a second tab, one connection; removing every widget and adding one back within keepAlive keeps it', async () => {
    await visit('shared')
    await until(async () => expect(await page.locator('[data-test="widget"]').count()).toBe(4))
    await until(async () => expect(await number('connections')).toBe(1))
    await page.click('[data-test="add"]')
    await until(async () => expect(await page.locator('[data-test="widget"]').count()).toBe(5))
    const { shared: before } = await server<{ shared: { open: number, total: number } }>('/sse/stats')
    for (let i = 0; i < 5; i++)
      await page.click('[data-test="remove"]')
    await page.click('[data-test="add"]')
    await page.waitForTimeout(2000)
    const { shared: after } = await server<{ shared: { open: number, total: number } }>('/sse/stats')
    expect(after).toEqual({ open: 1, total: before.total })

    const second = await context.newPage()
    await second.goto(`${playground.url}/#/shared`)
    await until(async () => expect(await text('role', second)).toBe('follower'))
    expect(await text('role')).toBe('leader')
    await page.waitForTimeout(1000)
    expect((await server<{ shared: { open: number } }>('/sse/stats')).shared.open).toBe(1)
  })
})
