import type { Browser } from 'playwright'
import type { ViteDevServer } from 'vite'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { chromium } from 'playwright'
import { createServer } from 'vite'
import { chromiumLaunch } from '../support/chromium'
import { devFlag } from '../support/devFlag'

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url))

/** A headless Chromium with a fresh profile (Playwright makes a new user-data-dir per launch). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunch, headless: true })
}

/** A Vite dev server on 127.0.0.1 serving the project's files (pages under tests/e2e/fixtures). */
export async function startFixtureServer(): Promise<{ url: string, close: () => Promise<void> }> {
  const server: ViteDevServer = await createServer({
    configFile: false,
    root: projectRoot,
    logLevel: 'error',
    plugins: [devFlag(), vue()],
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, ws: false },
    optimizeDeps: { include: ['vue'], entries: ['tests/e2e/fixtures/*.html'] },
  })
  await server.listen()
  const url = server.resolvedUrls?.local[0]
  if (url === undefined)
    throw new Error('the fixture server has no URL')
  return { url: url.endsWith('/') ? url.slice(0, -1) : url, close: () => server.close() }
}

/**
 * The playground, as `npm run dev` serves it (SSE endpoints included), on 127.0.0.1 and a free port; with
 * `http2`, as `npm run dev:h2` does (HTTPS with a certificate made at start, so HTTP/2).
 */
export async function startPlayground(http2 = false): Promise<{ url: string, close: () => Promise<void> }> {
  if (http2)
    process.env.PLAYGROUND_HTTP2 = '1'
  process.env.PLAYGROUND = '1'
  const server: ViteDevServer = await createServer({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    root: fileURLToPath(new URL('../../playground', import.meta.url)),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, hmr: false },
  }).finally(() => {
    delete process.env.PLAYGROUND_HTTP2
    delete process.env.PLAYGROUND
  })
  await server.listen()
  const url = server.resolvedUrls?.local[0]
  if (url === undefined)
    throw new Error('the playground has no URL')
  return { url: url.endsWith('/') ? url.slice(0, -1) : url, close: () => server.close() }
}
