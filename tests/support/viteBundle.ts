import { build } from 'vite'
import { devFlag } from './devFlag'

/**
 * `code` as the entry of an app's production build with Vite (Rolldown; `vue` left out): the code of its
 * chunks, joined. NODE_ENV is said outright, since Vite takes it from the environment when one is set
 * (vitest sets "test"), and Vue's flag as @vitejs/plugin-vue defines it.
 */
export async function viteBundle(code: string, { root, minify = true }: { root?: string, minify?: boolean } = {}): Promise<string> {
  const output = await build({
    root,
    configFile: false,
    logLevel: 'silent',
    mode: 'production',
    define: { '__VUE_PROD_DEVTOOLS__': 'false', 'process.env.NODE_ENV': '"production"' },
    plugins: [devFlag(), { name: 'entry', resolveId: id => (id === 'entry' ? '\0entry' : null), load: id => (id === '\0entry' ? code : null) }],
    build: { write: false, minify, rollupOptions: { input: 'entry', external: ['vue'], preserveEntrySignatures: 'strict' } },
  })
  return [output].flat().flatMap(result => ('output' in result ? result.output : [])).map(chunk => (chunk.type === 'chunk' ? chunk.code : '')).join('\n')
}
