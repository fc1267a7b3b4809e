import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { viteBundle } from '../tests/support/viteBundle'

// What each side of the chat workload adds to an app, min+gzip, production builds, `vue` left out, as
// bench/size.ts measures its rows (that file's ENTRIES and budgets are the size table's; these are the
// chat's own pair).
const CHAT_ENTRIES = {
  'ours: `useEventSource` (the recipe\'s chat)': `export { useEventSource } from ${JSON.stringify(resolve('src/index.ts'))}`,
  '@ai-sdk/vue: `useChat` with `DefaultChatTransport`': `export { useChat } from '@ai-sdk/vue'\nexport { DefaultChatTransport } from 'ai'`,
}

export interface ChatSizeRow {
  name: string
  /** Vite (Rolldown), min+gzip bytes. */
  gzip: number
  /** esbuild with `NODE_ENV=production`, min+gzip bytes. */
  esbuildGzip: number
}

const gzipped = (code: string): number => gzipSync(code, { level: 9 }).length

async function esbuildBundle(code: string): Promise<string> {
  const { build } = await import('esbuild')
  const result = await build({
    stdin: { contents: code, resolveDir: resolve('.'), loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"', '__DEV__': 'false' },
    external: ['vue'],
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

export async function measureChatSizes(): Promise<ChatSizeRow[]> {
  const rows: ChatSizeRow[] = []
  for (const [name, code] of Object.entries(CHAT_ENTRIES))
    rows.push({ name, gzip: gzipped(await viteBundle(code)), esbuildGzip: gzipped(await esbuildBundle(code)) })
  return rows
}
