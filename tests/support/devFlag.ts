import type { Plugin } from 'vite'
import MagicString from 'magic-string'

const DEV_FLAG = /\b__DEV__\b/g
// The package's sources, and the copy of an older one bench:compare checks out (none of node_modules).
const SOURCE = /^(?!.*\/node_modules\/).*\/(?:src|\.bench\/compare\/base)\//
/** What `__DEV__` is written out as: the test an app's bundler replaces and folds. */
export const DEV_TEST = `(process.env.NODE_ENV !== 'production')`

/**
 * Development-only code in `src/` is guarded by `__DEV__` (declared in src/env.d.ts). Every build of `src/`
 * (the library's in vite.config.ts, the tests', the bench's, the Nuxt fixture's) writes it out in place as
 * `process.env.NODE_ENV !== 'production'`, which an app's bundler replaces and folds, so a production
 * build drops the guarded code. It is written out at each use, not held in a module-level constant,
 * because esbuild keeps what such a constant guards; the published files hold the written-out test.
 */
export function devFlag(): Plugin {
  return {
    name: 'vue-event-source:dev-flag',
    enforce: 'pre',
    transform(code, id) {
      if (!SOURCE.test(id) || !code.includes('__DEV__'))
        return null
      const written = new MagicString(code)
      for (const match of code.matchAll(DEV_FLAG))
        written.overwrite(match.index, match.index + match[0].length, DEV_TEST)
      return { code: written.toString(), map: written.generateMap({ hires: true }) }
    },
  }
}
