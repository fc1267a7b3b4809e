import { Buffer } from 'node:buffer'
import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { viteBundle } from '../tests/support/viteBundle'

const ours = (name: string, file: string): string => `export { ${name} } from ${JSON.stringify(resolve(file))}`

/** What each compared bundle exports; everything else is tree-shaken away, and `vue` is left out. */
const ENTRIES = {
  'ours: `useEventSource` with its core': ours('useEventSource', 'src/index.ts'),
  'ours: core `createEventSource` alone': ours('createEventSource', 'src/core/index.ts'),
  'ours: drop-in `EventSource` (vue-event-source/eventsource)': ours('EventSource', 'src/eventsource/index.ts'),
  'ours: drop-in `EventSourcePolyfill` (vue-event-source/eventsource)': ours('EventSourcePolyfill', 'src/eventsource/index.ts'),
  'ours: drop-in `fetchEventSource` (vue-event-source/fetch-event-source)': ours('fetchEventSource', 'src/fetch-event-source/index.ts'),
  'ours: drop-in VueUse `useEventSource` (vue-event-source/vueuse)': ours('useEventSource', 'src/vueuse/index.ts'),
  'ours: `useSharedEventSource` with its cross-tab chunk (loaded on first use)': ours('useSharedEventSource', 'src/index.ts'),
  'eventsource 5.1: `EventSource` (with its parser)': `export { EventSource } from 'eventsource'`,
  'event-source-polyfill 1.0.31: `EventSourcePolyfill`': `export { EventSourcePolyfill } from 'event-source-polyfill'`,
  'VueUse 15.0: `useEventSource`': `export { useEventSource } from 'vueuse-core-15'`,
  'VueUse 14.4: `useEventSource`': `export { useEventSource } from '@vueuse/core'`,
  '@microsoft/fetch-event-source 2.0.1: `fetchEventSource`': `export { fetchEventSource } from '@microsoft/fetch-event-source'`,
  'eventsource-parser 4.1.3: `createParser` (a parser, no client)': `export { createParser } from 'eventsource-parser'`,
}

/**
 * Budgets, min+gzip bytes, in a production build with either bundler: `npm run bench` (and its smoke run,
 * part of `npm test`) fails above one. Issue 17 asks for 4.5 KiB and 3.5 KiB; development-only work
 * (explanations in errors, warnings, DevTools) is out of production builds, and what is left is held
 * here, a little above what it measures, until the rest of that work lands. Issue 28 added about
 * 600 bytes with esbuild (following a token getter's reactive source, the declared end, a request that is
 * not GET sent by open() only, the no-cors probe and the Last-Event-ID modes): `useEventSource` went from
 * 8.5 to 9 KiB, the core from 7 to 7.5 KiB. Issue 29's phase, record and policy functions added about 600
 * more to the core (their property names do not minify as the closure variables they replaced did): 9.75
 * and 7.75 KiB. Issue 33's Standard Schema support (detection, validation, async ordering) about 300 more,
 * paid by apps that use no schema too: 10 and 8 KiB; issue 30's hook that lets the fetchEventSource drop-in's
 * `onopen` see every response about 70 more in the core: 8.25 KiB; its queued-stream check (a stream held
 * behind the per-origin limit fails 15 s after it began) about 180 more: `useEventSource` 10.25 KiB. Issue 31's
 * resumable runs, the replay filter and the gap signals about 850 more with either bundler, paid by every
 * app: 11.25 and 9.25 KiB, until issue 32 makes an app pay for the features it uses.
 */
export const SIZE_BUDGETS: Record<string, number> = {
  [Object.keys(ENTRIES)[0]!]: 11.25 * 1024,
  [Object.keys(ENTRIES)[1]!]: 9.25 * 1024,
}

/** Issue 17's targets for the same two bundles, min+gzip bytes: shown beside the budgets, not enforced. */
export const SIZE_TARGETS: Record<string, number> = {
  [Object.keys(ENTRIES)[0]!]: 4.5 * 1024,
  [Object.keys(ENTRIES)[1]!]: 3.5 * 1024,
}

export interface SizeRow {
  name: string
  /** Vite (Rolldown, Oxc minifier), as a Vite app builds. */
  minified: number
  gzip: number
  /** esbuild with `NODE_ENV=production` defined, as apps built without Vite are. */
  esbuildGzip: number
}

/** Bytes after gzip at level 9. */
export const gzipped = (code: string): number => gzipSync(code, { level: 9 }).length

/** The entry bundled by esbuild for browsers, minified, with the define an app's production build has. */
export async function esbuildBundle(code: string): Promise<string> {
  const { build } = await import('esbuild')
  const result = await build({
    stdin: { contents: code, resolveDir: resolve('.'), loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    // __DEV__ as every build of src/ writes it out (tests/support/devFlag.ts), folded as the app's define folds it.
    define: { 'process.env.NODE_ENV': '"production"', '__DEV__': 'false' },
    external: ['vue'],
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

/** Bundles each entry with Vite and with esbuild for browsers (production) and gzips it at level 9. */
export async function measureSizes(): Promise<SizeRow[]> {
  const rows: SizeRow[] = []
  for (const [name, code] of Object.entries(ENTRIES)) {
    const vite = await viteBundle(code)
    rows.push({ name, minified: Buffer.byteLength(vite), gzip: gzipped(vite), esbuildGzip: gzipped(await esbuildBundle(code)) })
  }
  return rows
}

/** Each budgeted bundle over its budget with either bundler, as a sentence. */
export function overBudget(rows: readonly SizeRow[]): string[] {
  return rows.flatMap(row => row.name in SIZE_BUDGETS
    ? [['Vite', row.gzip], ['esbuild', row.esbuildGzip]].flatMap(([bundler, bytes]) => (bytes as number) > SIZE_BUDGETS[row.name]!
        ? [`${row.name} is ${bytes} bytes min+gzip with ${bundler}, over its budget of ${SIZE_BUDGETS[row.name]}`]
        : [])
    : [])
}
