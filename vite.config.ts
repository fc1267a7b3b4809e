import process from 'node:process'
import { fileURLToPath } from 'node:url'
import basicSsl from '@vitejs/plugin-basic-ssl'
import vue from '@vitejs/plugin-vue'
import { playwright } from '@vitest/browser-playwright'
import dts from 'vite-plugin-dts'
import vueDevTools from 'vite-plugin-vue-devtools'
import { defineConfig } from 'vitest/config'
import { sseEndpoints } from './playground/server/plugin.ts'
import { setHidden } from './tests/browser/commands.ts'
import { chromiumLaunch } from './tests/support/chromium.ts'
import { devFlag } from './tests/support/devFlag.ts'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))
// `npm run dev:h2` serves the playground over HTTPS, and so HTTP/2, with a certificate made at start.
const http2 = process.env.PLAYGROUND_HTTP2 === '1'

// One config for the three jobs: `vite build` builds the library, `vite` serves the playground,
// and `vitest` runs the tests.
export default defineConfig(({ command }) => ({
  // `vite` alone serves the playground; vitest and the library build work from the project root.
  root: command === 'serve' && !process.env.VITEST ? here('playground') : undefined,
  server: { host: '127.0.0.1', port: 5173 },
  build: {
    lib: {
      entry: { 'index': here('src/index.ts'), 'core': here('src/core/index.ts'), 'eventsource': here('src/eventsource/index.ts'), 'fetch-event-source': here('src/fetch-event-source/index.ts'), 'vueuse': here('src/vueuse/index.ts'), 'nuxt': here('src/nuxt/index.ts') },
      formats: ['es'],
    },
    rollupOptions: { external: ['vue', '@nuxt/kit', '@vue/devtools-api'] },
    outDir: here('dist'),
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
  },
  plugins: [
    devFlag(),
    // The library has no .vue file; left out of its build, the plugin's own defines of Vue's feature flags
    // (__VUE_PROD_DEVTOOLS__ among them) stay for the app's bundler to set.
    command === 'serve' && vue(),
    // The playground has Vue DevTools in the page (the floating button, Alt+Shift+D), with our "Event
    // streams" inspector; tests/e2e/harness.ts sets PLAYGROUND=1 to serve it as `npm run dev` does.
    command === 'serve' && (!process.env.VITEST || process.env.PLAYGROUND === '1') && vueDevTools(),
    sseEndpoints(),
    http2 && command === 'serve' && basicSsl(),
    command === 'build' && dts({ include: ['src'], tsconfigPath: here('tsconfig.json'), bundleTypes: true, compilerOptions: { stripInternal: true } }),
  ],
  test: {
    projects: [
      {
        plugins: [devFlag()],
        test: {
          name: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/browser/**'],
          environment: 'node',
        },
      },
      {
        // Type tests: each `expectTypeOf` and `@ts-expect-error` in tests/types is checked by tsc, reported as a test.
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, checker: 'vue-tsc', include: ['tests/types/**/*.test-d.ts'], tsconfig: here('tsconfig.json') },
        },
      },
      {
        plugins: [devFlag(), vue()],
        server: { host: '127.0.0.1' },
        // Pre-bundled up front: a dependency discovered mid-run makes Vite reload the test page.
        optimizeDeps: { include: ['vue', '@vue/test-utils', 'fast-check', 'event-source-polyfill', '@microsoft/fetch-event-source'] },
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/globalSetup.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunch }),
            instances: [{ browser: 'chromium' }],
            api: { host: '127.0.0.1' },
            commands: { setHidden },
            screenshotFailures: false,
          },
        },
      },
    ],
  },
}))
