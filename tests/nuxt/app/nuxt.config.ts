import { fileURLToPath } from 'node:url'

// A Nuxt 4 app that uses the composables the way apps do: in a page, in a plugin and in a store. The test
// builds it, serves it and points it at the scenario server with NUXT_PUBLIC_SSE_BASE.
export default defineNuxtConfig({
  compatibilityDate: '2026-01-01',
  devtools: { enabled: false },
  telemetry: false,
  alias: { 'vue-event-source': fileURLToPath(new URL('../../../src/index.ts', import.meta.url)) },
  runtimeConfig: { public: { sseBase: '' } },
})
