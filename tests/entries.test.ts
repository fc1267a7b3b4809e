/**
 * The package's entries stay apart: a bundle of everything the main entry exports holds none of the
 * drop-in entries' code, and each drop-in entry is built over the one core (no second parser or client).
 */
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { viteBundle } from './support/viteBundle'

const bundle = (entry: string): Promise<string> => viteBundle(`export * from ${JSON.stringify(resolve(entry))}`, { minify: false })

// Code that only the drop-ins have (EventSource, EventSourcePolyfill, fetchEventSource, the VueUse
// useEventSource, the error event, the task queue): text that survives bundling.
const DROP_IN_CODE = ['Failed to construct \'EventSource\'', 'lastEventIdQueryParameterName', 'openWhenHidden', 'serializer.read(', 'get status()', 'setImmediate']

describe('package entries', () => {
  it('the main entry pulls in no drop-in entry', async () => {
    const main = await bundle('src/index.ts')
    expect(main).toContain('function useEventSource')
    expect(DROP_IN_CODE.filter(name => main.includes(name))).toEqual([])
    // and the names looked for are real: the drop-ins' own bundles hold them all
    const dropIns = (await Promise.all(['src/eventsource/index.ts', 'src/fetch-event-source/index.ts', 'src/vueuse/index.ts'].map(bundle))).join('\n')
    expect(DROP_IN_CODE.filter(name => !dropIns.includes(name))).toEqual([])
  }, 60_000)

  it.each(['src/eventsource/index.ts', 'src/fetch-event-source/index.ts', 'src/vueuse/index.ts'])('%s is built on the one core: one parser, one client', async (entry) => {
    const code = await bundle(entry)
    expect(code.match(/function createEventStreamParser\(/g)).toHaveLength(1)
    expect(code.match(/function createEventSource\(/g)).toHaveLength(1)
  }, 60_000)
})
