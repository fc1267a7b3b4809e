import type { Import, Unimport } from 'unimport'
import type { ModuleOptions } from '../../src/nuxt'
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { loadNuxt, logger } from '@nuxt/kit'
import { afterAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../e2e/harness'

// The module loaded by Nuxt itself (no build), beside the real @vueuse/nuxt: which function each
// auto-imported name resolves to is what unimport's own context answers after every module has run.
// docs/guide/ssr-nuxt.md ("The Nuxt module"): the auto-imports, their options, and beside @vueuse/nuxt.
const module = join(projectRoot, 'src/nuxt/index.ts')
const roots: string[] = []

async function autoImports(modules: string[], eventSource?: ModuleOptions): Promise<Record<string, string>> {
  // Under node_modules so that Nuxt resolves its own packages from the app's folder.
  const rootDir = mkdtempSync(join(projectRoot, 'node_modules/.nuxt-module-'))
  roots.push(rootDir)
  const nuxt = await loadNuxt({ cwd: rootDir, dev: false, ready: false, overrides: { modules, eventSource, telemetry: false, devtools: { enabled: false } } as never })
  let context: Unimport | undefined
  nuxt.hook('imports:context', (ctx) => {
    context = ctx
  })
  try {
    await nuxt.ready()
    const imports: Import[] = await context!.getImports()
    return Object.fromEntries(imports.filter(i => String(i.as ?? i.name).endsWith('EventSource')).map(i => [String(i.as ?? i.name), i.from]))
  }
  finally {
    await nuxt.close()
  }
}

afterAll(() => {
  for (const root of roots)
    rmSync(root, { recursive: true, force: true })
})

describe('the Nuxt module\'s auto-imports', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('alone, auto-imports the three composables under their names', async () => {
    expect(await autoImports([module])).toEqual({
      useEventSource: 'vue-event-source',
      useSharedEventSource: 'vue-event-source',
      defineEventSource: 'vue-event-source',
    })
  }, 30_000)

  // Promised in README.md (tests/fixtures/promises/).
  it('beside @vueuse/nuxt, in either order, leaves `useEventSource` to VueUse and keeps the names VueUse lacks', async () => {
    const expected = { useEventSource: '@vueuse/core', useSharedEventSource: 'vue-event-source', defineEventSource: 'vue-event-source' }
    expect(await autoImports(['@vueuse/nuxt', module])).toEqual(expected)
    expect(await autoImports([module, '@vueuse/nuxt'])).toEqual(expected)
  }, 30_000)

  // Promised in README.md (tests/fixtures/promises/).
  it('with a prefix, beside @vueuse/nuxt, has both: VueUse\'s `useEventSource` and ours as `useSseEventSource`', async () => {
    expect(await autoImports([module, '@vueuse/nuxt'], { prefix: 'Sse' })).toEqual({
      useEventSource: '@vueuse/core',
      useSseEventSource: 'vue-event-source',
      useSseSharedEventSource: 'vue-event-source',
      defineSseEventSource: 'vue-event-source',
    })
  }, 30_000)

  it('beside @vueuse/nuxt without a prefix, says so once at build time, in either order; with a prefix, says nothing', async () => {
    // What the module logs under its tag, at the info level a build shows (a test run shows warnings only).
    const said: string[] = []
    const { level, reporters } = logger.options
    logger.level = 3
    logger.setReporters([{ log: entry => void (entry.tag === 'vue-event-source' && said.push(entry.args.join(' '))) }])
    try {
      await autoImports(['@vueuse/nuxt', module])
      expect(said).toHaveLength(1)
      expect(said[0]).toContain('`useEventSource` auto-imports VueUse\'s here')
      expect(said[0]).toContain('eventSource.prefix')
      await autoImports([module, '@vueuse/nuxt'])
      expect(said).toHaveLength(2)
      await autoImports([module, '@vueuse/nuxt'], { prefix: 'Sse' })
      await autoImports([module])
      expect(said).toHaveLength(2)
    }
    finally {
      logger.level = level
      logger.setReporters(reporters)
    }
  }, 60_000)

  it('with autoImports: false, adds none', async () => {
    expect(await autoImports([module], { autoImports: false })).toEqual({})
  }, 30_000)

  it('refuses a prefix that would not make an identifier, with a typed error', async () => {
    for (const prefix of ['sse', 'S-e', 7 as never]) {
      const failure = await autoImports([module], { prefix }).catch((error: unknown) => error)
      // Nuxt loads the module through its own loader, so the class is a second copy: compare by name.
      expect(failure).toMatchObject({ name: 'EventSourceOptionError', type: 'invalid-option', option: 'eventSource.prefix' })
    }
  }, 30_000)
})
