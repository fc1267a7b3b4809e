import { resolve } from 'node:path'
import { viteBundle } from '../tests/support/viteBundle'
import { esbuildBundle, gzipped } from './size'

// What each side of the chat workload adds to an app, min+gzip, production builds, `vue` left out,
// measured with bench/size.ts's bundlers (its ENTRIES and budgets are the size table's; these are the
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

export async function measureChatSizes(): Promise<ChatSizeRow[]> {
  const rows: ChatSizeRow[] = []
  for (const [name, code] of Object.entries(CHAT_ENTRIES))
    rows.push({ name, gzip: gzipped(await viteBundle(code)), esbuildGzip: gzipped(await esbuildBundle(code)) })
  return rows
}
