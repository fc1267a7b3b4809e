import type { UserConfig } from 'vite'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { build as viteBuild } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import viteConfig from '../vite.config'

// An app that imports one composable pays only for what it uses. The package is built as it ships (Vite's
// library mode merges modules into a few files, so `sideEffects: false` alone cannot drop a module-level
// call inside one), installed under node_modules, and bundled by esbuild as apps that do not use Vite do,
// with the define apps use in production. Every module-level call is marked pure or done lazily.
const root = fileURLToPath(new URL('..', import.meta.url))
let app: string

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'tree-shaking-'))
  const pkg = join(app, 'node_modules/vue-event-source')
  mkdirSync(pkg, { recursive: true })
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'))
  // The library build's own settings (entries, externals), without the declaration step.
  const { build: library } = viteConfig({ command: 'build', mode: 'production' }) as UserConfig
  await viteBuild({ root, configFile: false, logLevel: 'silent', build: { ...library, outDir: join(pkg, 'dist'), sourcemap: false } })
}, 60_000)

afterAll(() => rmSync(app, { recursive: true, force: true }))

async function bundle(code: string): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: app, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    external: ['vue'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

describe('tree shaking with esbuild', () => {
  it('useEventSource alone carries no shared-subscription code and no module-level registry or page listeners', async () => {
    const alone = await bundle(`import { useEventSource } from 'vue-event-source'; export default useEventSource`)
    const shared = await bundle(`import { useSharedEventSource } from 'vue-event-source'; export default useSharedEventSource`)
    // `holders` is the registry's own property name and `BroadcastChannel` the cross-tab transport: both
    // survive minification, so their presence shows the code is in.
    const marks = ['holders', 'BroadcastChannel']
    expect(marks.filter(mark => shared.includes(mark))).toEqual(marks)
    expect(marks.filter(mark => alone.includes(mark))).toEqual([])
  })

  it('an import of nothing but a constant bundles to (almost) nothing', async () => {
    const constant = await bundle(`import { OPEN } from 'vue-event-source'; export default OPEN`)
    expect(constant.length).toBeLessThan(200)
  })
})
