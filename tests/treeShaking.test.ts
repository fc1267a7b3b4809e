import type { UserConfig } from 'vite'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
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
