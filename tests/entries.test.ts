/**
 * The package's entries stay apart: a bundle of everything the main entry exports holds none of the
 * drop-in entries' code, and each drop-in entry is built over the one core (no second parser or client).
 * docs/migrating.md: "`tests/entries.test.ts` checks both". docs/spec.md: the parser is ours, with no dependency.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as core from '../src/core/index'
import * as main from '../src/index'
import { viteBundle } from './support/viteBundle'

const bundle = (entry: string): Promise<string> => viteBundle(`export * from ${JSON.stringify(resolve(entry))}`, { minify: false })

// Code that only the drop-ins have (EventSource, EventSourcePolyfill, fetchEventSource, the VueUse
// useEventSource, the error event, the task queue): text that survives bundling.
const DROP_IN_CODE = ['An invalid or illegal string was specified', 'lastEventIdQueryParameterName', 'openWhenHidden', 'serializer.read(', 'get status()', 'setImmediate']

describe('package entries', () => {
  it('the main entry pulls in no drop-in entry', async () => {
    const main = await bundle('src/index.ts')
    expect(main).toContain('function useEventSource')
    expect(DROP_IN_CODE.filter(name => main.includes(name))).toEqual([])
    // and the names looked for are real: the drop-ins' own bundles hold them all
    const dropIns = (await Promise.all(['src/eventsource/index.ts', 'src/fetch-event-source/index.ts', 'src/vueuse/index.ts'].map(bundle))).join('\n')
    expect(DROP_IN_CODE.filter(name => !dropIns.includes(name))).toEqual([])
  }, 60_000)

  // docs/guide/core.md: the core comes from `vue-event-source/core` or the main entry (and knows no Vue
  // and no page, below). docs/guide/devtools.md: "`@vue/devtools-api` is the package's one dependency".
  it('the core entry and the main entry both export the client, and CONNECTING, OPEN and CLOSED as 0, 1 and 2; the parser and the registries only the core entry', () => {
    for (const entry of [core, main]) {
      expect(typeof entry.createEventSource).toBe('function')
      expect([entry.CONNECTING, entry.OPEN, entry.CLOSED]).toEqual([0, 1, 2])
    }
    expect(main.createEventSource).toBe(core.createEventSource)
    expect([typeof core.createEventStreamParser, typeof core.createSharedRegistry, typeof core.sharedRegistry]).toEqual(['function', 'function', 'object'])
    expect(['createEventStreamParser', 'createSharedRegistry', 'sharedRegistry'].filter(name => name in main)).toEqual([])
  })

  // Promised in README.md (tests/fixtures/promises/).
  it.each(['src/eventsource/index.ts', 'src/fetch-event-source/index.ts', 'src/vueuse/index.ts'])('%s is built on the one core: one parser, one client', async (entry) => {
    const code = await bundle(entry)
    expect(code.match(/function createEventStreamParser\(/g)).toHaveLength(1)
    expect(code.match(/function createClient\(/g)).toHaveLength(1)
  }, 60_000)
})

// README.md: "the core is framework-agnostic" and, under "Without Vue", "The core has no Vue and no
// `window`/`document`"; README.md and docs/guide/getting-started.md: "Its one dependency, `@vue/devtools-api`".
describe('the core and the package\'s dependencies', () => {
  it('the core entry imports nothing, Vue included, and names neither window nor document', async () => {
    const core = await bundle('src/core/index.ts')
    expect(core).toContain('function createEventSource(')
    expect(core).not.toMatch(/\bimport\b/)
    expect(core.match(/\b(?:window|document)\b/g)).toBeNull()
  }, 60_000)

  it('the package depends on @vue/devtools-api alone', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies?: Record<string, string> }
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['@vue/devtools-api'])
  })
})
