import type { ChildProcess } from 'node:child_process'
import type { Browser } from 'playwright'
import type { TestServer } from '../server/index'
import { execFile, spawn } from 'node:child_process'
import { join } from 'node:path'
import process from 'node:process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestServer } from '../server/index'
import { freePort } from '../support/ports'
import { launchChromium, projectRoot } from './harness'

// A real Nuxt 4 app (tests/nuxt/app: a page, a plugin and a store using the composables), built with
// `nuxi build` and served by its own Nitro server, against the scenario server on another port. The rule
// under test: the server process never connects; the browser hydrates with no mismatch and connects.
// docs/guide/ssr-nuxt.md describes this app and promises what it checks.

const app = join(projectRoot, 'tests/nuxt/app')
const KEYS = ['nuxt-page', 'nuxt-store', 'nuxt-plugin']
let sse: TestServer
let nitro: ChildProcess
let base: string
let browser: Browser

beforeAll(async () => {
  sse = await startTestServer()
  await promisify(execFile)(join(projectRoot, 'node_modules/.bin/nuxi'), ['build', app], { cwd: projectRoot, timeout: 180_000 })
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  nitro = spawn(process.execPath, [join(app, '.output/server/index.mjs')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), NUXT_PUBLIC_SSE_BASE: sse.url, NODE_ENV: 'production' },
    stdio: 'ignore',
  })
  await vi.waitFor(async () => expect((await fetch(base)).ok).toBe(true), { timeout: 20_000, interval: 200 })
  browser = await launchChromium()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  nitro?.kill()
  await sse?.close()
})

describe('a Nuxt 4 app', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('renders each stream\'s initial state on the server, three times, and the server process never connects', async () => {
    for (let i = 0; i < 3; i++) {
      const html = await (await fetch(base)).text()
      for (const name of ['page', 'store', 'plugin'])
        expect(html).toMatch(new RegExp(`data-test="${name}"[^>]*>2 </p>`))
    }
    await new Promise(resolve => setTimeout(resolve, 300))
    for (const key of KEYS)
      expect(sse.stats(key).requests).toHaveLength(0)
  })

  it('in Chromium: hydrates with no warning, then every stream connects, from the browser only', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const messages: string[] = []
    page.on('console', message => messages.push(`${message.type()}: ${message.text()}`))
    page.on('pageerror', error => messages.push(`pageerror: ${error.message}`))
    await page.goto(base)
    for (const name of ['page', 'store', 'plugin'])
      await page.locator(`[data-test="${name}"]`, { hasText: /^1 event \d+$/ }).waitFor({ timeout: 10_000 })
    expect(messages.filter(m => /hydrat|mismatch/i.test(m))).toEqual([])
    expect(messages.filter(m => m.startsWith('error') || m.startsWith('pageerror'))).toEqual([])
    for (const key of KEYS) {
      const requests = sse.stats(key).requests
      expect(requests.length).toBeGreaterThanOrEqual(1)
      for (const request of requests)
        expect(request.headers['user-agent']).toMatch(/Chrome/)
    }
    await context.close()
    await vi.waitFor(() => expect(KEYS.map(key => sse.stats(key).open)).toEqual([0, 0, 0]), { timeout: 5000 })
  })

  // Promised in README.md (tests/fixtures/promises/).
  it('with our module beside @vueuse/nuxt: ours auto-imported as useSseEventSource and VueUse\'s useEventSource, both streaming from a Nitro h3 route after hydration', async () => {
    const html = await (await fetch(`${base}/auto`)).text()
    expect(html).toMatch(/data-test="ours"[^>]*>CLOSED 0<\/p>/)
    const context = await browser.newContext()
    const page = await context.newPage()
    const messages: string[] = []
    page.on('console', message => messages.push(`${message.type()}: ${message.text()}`))
    page.on('pageerror', error => messages.push(`pageerror: ${error.message}`))
    await page.goto(`${base}/auto`)
    // ours counts the h3 route's JSON ticks; VueUse's, called with its own signature, names the event it heard
    await page.locator('[data-test="ours"]', { hasText: /^OPEN ([3-9]|\d{2,})$/ }).waitFor({ timeout: 10_000 })
    await page.locator('[data-test="vueuse"]', { hasText: /^vueuse OPEN tick$/ }).waitFor({ timeout: 10_000 })
    expect(messages.filter(m => /hydrat|mismatch/i.test(m))).toEqual([])
    expect(messages.filter(m => m.startsWith('error') || m.startsWith('pageerror') || m.startsWith('warning'))).toEqual([])
    await context.close()
  })
})
