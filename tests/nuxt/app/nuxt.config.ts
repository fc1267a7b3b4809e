import { fileURLToPath } from 'node:url'
import { devFlag } from '../../support/devFlag'

// A Nuxt 4 app that uses the composables the way apps do: in a page, in a plugin and in a store, imported
// by hand; and, on /auto, auto-imported by our module beside @vueuse/nuxt, against a Nitro route that
// streams with h3's event-stream utilities. The test builds it, serves it and points the first pages at
// the scenario server with NUXT_PUBLIC_SSE_BASE.
export default defineNuxtConfig({
  compatibilityDate: '2026-01-01',
  devtools: { enabled: false },
  telemetry: false,
  modules: ['@vueuse/nuxt', fileURLToPath(new URL('../../../src/nuxt/index.ts', import.meta.url))],
  // With @vueuse/nuxt, `useEventSource` stays VueUse's; ours is auto-imported as `useSseEventSource`.
  eventSource: { prefix: 'Sse' },
  alias: { 'vue-event-source': fileURLToPath(new URL('../../../src/index.ts', import.meta.url)) },
  runtimeConfig: { public: { sseBase: '' } },
  vite: { plugins: [devFlag()] },
})
