import type { UserConfig } from 'vite'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { build as viteBuild } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import viteConfig from '../vite.config'
import { devFlag } from './support/devFlag'
import { viteBundle } from './support/viteBundle'

// An app that imports one composable pays only for what it uses. The package is built as it ships (Vite's
// library mode merges modules into a few files, so `sideEffects: false` alone cannot drop a module-level
// call inside one), installed under node_modules, and bundled by esbuild as apps that do not use Vite do,
// with the define apps use in production. Every module-level call is marked pure or done lazily.
const root = fileURLToPath(new URL('..', import.meta.url))
let app: string

beforeAll(async () => {
  // Under the project's node_modules, so that the package's own dependencies resolve as in an app.
  app = mkdtempSync(join(root, 'node_modules/.tree-shaking-'))
  const pkg = join(app, 'node_modules/vue-event-source')
  mkdirSync(pkg, { recursive: true })
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'))
  // The app's own package.json: without it, bundlers take 'vue-event-source' here for the project's own
  // name (a package importing itself) and bundle the project's dist/, whatever state it is in.
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'tree-shaking-app', private: true }))
  // The library build's own settings (entries, externals), without the declaration step.
  const { build: library } = viteConfig({ command: 'build', mode: 'production' }) as UserConfig
  await viteBuild({ root, configFile: false, logLevel: 'silent', plugins: [devFlag()], build: { ...library, outDir: join(pkg, 'dist'), sourcemap: false } })
}, 60_000)

afterAll(() => rmSync(app, { recursive: true, force: true }))

async function bundle(code: string, mode = 'production'): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: app, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    // What a Vue app's build defines: the mode, and Vue's feature flag (Vue asks esm-bundler users to set it).
    define: { 'process.env.NODE_ENV': JSON.stringify(mode), '__VUE_PROD_DEVTOOLS__': 'false' },
    external: ['vue'],
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

/** What a page loads at first (the entry chunk and the chunks it imports), and the chunks it imports later. */
interface Split { initial: string, later: string[] }

/** Splits chunks by name into those `entry` imports statically, transitively, and the rest. */
function split(chunks: Map<string, string>, entry: string, imports: (name: string) => string[]): Split {
  const initial = new Set([entry])
  for (const name of initial)
    imports(name).forEach(next => initial.add(next))
  return { initial: Array.from(initial, name => chunks.get(name)!).join('\n'), later: [...chunks.keys()].filter(name => !initial.has(name)).map(name => chunks.get(name)!) }
}

/** `code` as the entry of an app built with code splitting, as apps are (Vite by default; esbuild with `splitting`), in production. */
async function splitBundles(code: string): Promise<Record<'esbuild' | 'vite', Split>> {
  const entry = join(app, 'split-entry.js')
  writeFileSync(entry, code)
  const define = { 'process.env.NODE_ENV': '"production"', '__VUE_PROD_DEVTOOLS__': 'false' }
  const built = await build({ entryPoints: [entry], bundle: true, minify: true, splitting: true, metafile: true, outdir: join(app, 'split'), write: false, format: 'esm', define, external: ['vue'], logLevel: 'silent' })
  const name = (path: string): string => relative(root, path)
  const outputs = built.metafile!.outputs
  const esbuild = split(new Map(built.outputFiles.map(file => [name(file.path), file.text])), name(join(app, 'split/split-entry.js')), chunk => outputs[chunk]!.imports.filter(i => i.kind === 'import-statement' && !i.external).map(i => i.path))
  const output = await viteBuild({ root: app, configFile: false, logLevel: 'silent', mode: 'production', define, build: { write: false, minify: true, rollupOptions: { input: entry, external: ['vue'], preserveEntrySignatures: 'strict' } } })
  const chunks = [output].flat().flatMap(result => ('output' in result ? result.output : [])).flatMap(chunk => (chunk.type === 'chunk' ? [chunk] : []))
  const vite = split(new Map(chunks.map(chunk => [chunk.fileName, chunk.code])), chunks.find(chunk => chunk.isEntry)!.fileName, chunk => chunks.find(c => c.fileName === chunk)!.imports.filter(name => name !== 'vue'))
  return { esbuild, vite }
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

  // docs/guide/shared.md ("Across tabs"): the cross-tab code loads on first use, in a chunk of its own.
  it('useSharedEventSource and defineEventSource leave the cross-tab leader election out of the entry chunk, in a chunk loaded on first use', async () => {
    // Names only the leader election has in the main entry (the takeover lock's suffix, the channel's postMessage):
    // they survive minification, so where they are shows where the code is.
    const crossTab = [':takeover', 'postMessage']
    for (const name of ['useSharedEventSource', 'defineEventSource']) {
      for (const [bundler, { initial, later }] of Object.entries(await splitBundles(`import { ${name} } from 'vue-event-source'; export default ${name}`))) {
        expect(initial, `${bundler}, ${name}`).toContain('holders')
        expect(crossTab.filter(mark => initial.includes(mark)), `${bundler}, ${name}: loaded at first`).toEqual([])
        expect(later.filter(chunk => crossTab.every(mark => chunk.includes(mark))), `${bundler}, ${name}: a chunk loaded later`).toHaveLength(1)
      }
    }
  }, 30_000)

  // Promised in README.md and docs/guide/getting-started.md (tests/fixtures/promises/).
  // docs/guide/devtools.md ("In production"): a production build drops the integration and @vue/devtools-api.
  it('the Vue DevTools integration is in a development build and nowhere in a production one', async () => {
    // Text only the integration has: the inspector's label, the subscriber tag's tooltip, and the global
    // hook @vue/devtools-api talks to.
    const marks = ['Event streams', 'subscribers sharing', '__VUE_DEVTOOLS_']
    for (const name of ['useEventSource', 'useSharedEventSource', 'defineEventSource']) {
      const development = await bundle(`import { ${name} } from 'vue-event-source'; export default ${name}`, 'development')
      const production = await bundle(`import { ${name} } from 'vue-event-source'; export default ${name}`)
      expect(marks.filter(mark => development.includes(mark))).toEqual(marks)
      expect(marks.filter(mark => production.includes(mark)), `esbuild, ${name}`).toEqual([])
      // the same app built by Vite
      const vite = await viteBundle(`import { ${name} } from 'vue-event-source'; export default ${name}`, { root: app })
      expect(vite).toContain(name === 'useEventSource' ? 'last-event-id' : 'holders')
      expect(marks.filter(mark => vite.includes(mark)), `vite, ${name}`).toEqual([])
    }
  }, 30_000)

  it('a production build drops the explanations, yet bad input still throws a typed error naming its type and option', async () => {
    // Explanations only development builds carry: option checks, CORS and buffering diagnoses, VueUse hints.
    const explanations = ['expected a function, got', 'CORS refused the response', 'a buffering proxy', 'which takes VueUse\'s signature', 'outside any effect scope']
    const code = `import { createEventSource, useEventSource } from 'vue-event-source'; export { createEventSource, useEventSource }`
    const development = await bundle(code, 'development')
    expect(explanations.filter(text => !development.includes(text))).toEqual([])
    const production = await bundle(code)
    expect(explanations.filter(text => production.includes(text))).toEqual([])
    const vite = await viteBundle(code, { root: app })
    expect(explanations.filter(text => vite.includes(text))).toEqual([])
    // Run the production bundle (vue stays external and resolves from the project) and feed it bad input.
    const file = join(app, 'production.mjs')
    writeFileSync(file, production)
    const { createEventSource, useEventSource } = await import(/* @vite-ignore */ pathToFileURL(file).href) as typeof import('../src/index')
    const thrown = (call: () => unknown): unknown => {
      try {
        call()
      }
      catch (error) {
        return error
      }
      return 'nothing thrown'
    }
    const failures = [
      thrown(() => createEventSource('/s', { maxEventSize: 0 })),
      thrown(() => createEventSource('/s', { reconnect: { jitter: 2 } })),
      thrown(() => createEventSource('/s', { fetch: 'log' as never })),
      thrown(() => useEventSource('/s', { autoReconnect: true } as never)),
    ]
    expect(failures.map(error => [(error as Error).name, (error as { type?: string }).type, (error as { option?: string }).option, (error as Error).message])).toEqual([
      ['EventSourceOptionError', 'invalid-option', 'maxEventSize', 'Invalid maxEventSize'],
      ['EventSourceOptionError', 'invalid-option', 'reconnect.jitter', 'Invalid reconnect.jitter'],
      ['EventSourceOptionError', 'invalid-option', 'fetch', 'Invalid fetch'],
      ['EventSourceOptionError', 'invalid-option', 'autoReconnect', 'Invalid autoReconnect'],
    ])
    // docs/guide/api.md ("Checks in development only"): a check that only explains a wrong type is not in
    // a production build, as Vue's prop validation is not; the development build still throws.
    const devOnly = (client: typeof createEventSource): unknown[] => [{ onError: 'log' }, { closeEvent: 1 }].map(options => thrown(() => {
      client('/s', options as never).close()
    }))
    const developmentFile = join(app, 'development.mjs')
    writeFileSync(developmentFile, development)
    const dev = await import(/* @vite-ignore */ pathToFileURL(developmentFile).href) as typeof import('../src/index')
    expect(devOnly(dev.createEventSource).map(error => (error as { option?: string }).option)).toEqual(['onError', 'closeEvent'])
    expect(devOnly(createEventSource)).toEqual(['nothing thrown', 'nothing thrown'])
  }, 30_000)

  it('an import of nothing but a constant bundles to (almost) nothing', async () => {
    const constant = await bundle(`import { OPEN } from 'vue-event-source'; export default OPEN`)
    expect(constant.length).toBeLessThan(200)
  })
})

// docs/guide/errors.md ("Messages in production builds"): the table of `error.message`, in each build.
describe('error messages in each build', () => {
  it('a development build explains; a production one names the option, or the type alone', async () => {
    const page = globalThis as { location?: unknown }
    const code = `import { createEventSource } from 'vue-event-source'; export { createEventSource }`
    const messages: Record<string, string[]> = {}
    for (const mode of ['development', 'production']) {
      const file = join(app, `messages-${mode}.mjs`)
      writeFileSync(file, await bundle(code, mode))
      const { createEventSource } = await import(/* @vite-ignore */ pathToFileURL(file).href) as typeof import('../src/index')
      let invalid = 'nothing thrown'
      try {
        createEventSource('/s', { maxEventSize: 0 })
      }
      catch (error) {
        invalid = (error as Error).message
      }
      // A page on https://app.example; http://api.example answers (a no-cors request gets through) but its CORS refuses.
      page.location = { origin: 'https://app.example', href: 'https://app.example/' }
      try {
        const cors = await new Promise<string>((resolve) => {
          const client = createEventSource('http://api.example/events', {
            token: 'a-token',
            reconnect: false,
            fetch: async (_, init) => {
              if (init.mode === 'no-cors')
                return new Response(null)
              throw new TypeError('Failed to fetch')
            },
            onError: (error) => {
              client.close()
              resolve(error.message)
            },
          })
          client.open()
        })
        messages[mode] = [invalid, cors]
      }
      finally {
        delete page.location
      }
    }
    expect(messages.development![0]).toBe('Invalid maxEventSize: expected a number >= 1 or Infinity, got 0')
    expect(messages.development![1]).toMatch(/^http:\/\/api\.example answered, but CORS refused the response: it must send Access-Control-Allow-Origin: https:\/\/app\.example; /)
    expect(messages.production).toEqual(['Invalid maxEventSize', 'cors'])
  }, 30_000)
})
