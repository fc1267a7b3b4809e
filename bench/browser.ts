import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { devFlag } from '../tests/support/devFlag'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Builds the bench page (our src, Vue, VueUse, fetch-event-source, eventsource-parser) with Vite's
 * production build, so Vue is its production build (`process.env.NODE_ENV` is "production", dev checks
 * and warnings are compiled out) and every library is minified as an app would ship it. `root` and
 * `alias` build another page the same way (bench:compare's, with a git ref's src/ as `@base`).
 */
export async function buildPage(outDir: string, root = 'bench/page', alias: Record<string, string> = {}): Promise<void> {
  const { build } = await import('vite')
  await build({
    configFile: false,
    root: resolve(root),
    mode: 'production',
    logLevel: 'warn',
    resolve: { alias },
    plugins: [devFlag()],
    define: {
      // what @vitejs/plugin-vue defines in a production build
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  })
}

/**
 * Starts Chromium headless on `url` directly (no DevTools protocol session), with a fresh profile,
 * `gc()` exposed and exact `performance.memory`; `stop()` ends the browser's process group and removes
 * the profile.
 */
export async function startChromium(url: string): Promise<{ stop: () => Promise<void>, exited: Promise<number | null>, pid: number | undefined }> {
  const profile = await mkdtemp(join(tmpdir(), 'ves-bench-chromium-'))
  const browser: ChildProcess = spawn(chromiumPath, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--js-flags=--expose-gc',
    '--enable-precise-memory-info',
    `--user-data-dir=${profile}`,
    url,
  ], { detached: true, stdio: 'ignore' })
  const exited = new Promise<number | null>((resolve) => {
    browser.once('exit', code => resolve(code))
    browser.once('error', () => resolve(-1))
  })
  return {
    exited,
    // the chat bench reads its renderers' CPU time under this process (bench/rendererCpu.ts)
    pid: browser.pid,
    async stop() {
      if (browser.exitCode === null && browser.pid !== undefined) {
        try {
          process.kill(-browser.pid, 'SIGTERM')
        }
        catch {}
        await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 5000))])
        if (browser.exitCode === null) {
          try {
            process.kill(-browser.pid, 'SIGKILL')
          }
          catch {}
        }
      }
      await rm(profile, { recursive: true, force: true })
    },
  }
}

/** `chromium --version`, e.g. "Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)". */
export function chromiumVersion(): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(chromiumPath, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => (out += chunk))
    child.on('close', () => resolve(out.trim()))
    child.on('error', () => resolve('unknown'))
  })
}
