import { defineConfig } from 'vitepress'
import { benchCharts } from './benchCharts'

// The docs site: `npm run docs:dev` serves it, `npm run docs:build` builds it into docs/.vitepress/dist
// and fails on a dead link (VitePress checks every internal link at build time); tests/docs.test.ts runs
// the build in `npm test`.
export default defineConfig({
  title: 'vue-event-source',
  description: 'Vue 3 composables for Server-Sent Events over fetch',
  cleanUrls: true,
  // The playground's screenshot and the bench's charts live beside their code, outside docs/.
  srcExclude: ['**/node_modules/**'],
  vite: { plugins: [benchCharts()] },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Migrating', link: '/migrating' },
      { text: 'Performance', link: '/performance' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/guide/getting-started' },
          { text: 'Options and return values', link: '/guide/api' },
          { text: 'Recipes', link: '/guide/recipes' },
          { text: 'Shared streams', link: '/guide/shared' },
          { text: 'Reconnection', link: '/guide/reconnection' },
          { text: 'Resumable runs', link: '/guide/resumable-runs' },
          { text: 'Server-side rendering and Nuxt', link: '/guide/ssr-nuxt' },
          { text: 'Errors and troubleshooting', link: '/guide/errors' },
          { text: 'Vue DevTools', link: '/guide/devtools' },
          { text: 'Without Vue', link: '/guide/core' },
        ],
      },
      {
        text: 'Going further',
        items: [
          { text: 'Deploying', link: '/deploying' },
          { text: 'Migrating', link: '/migrating' },
          { text: 'Reliability', link: '/reliability' },
          { text: 'Performance and size', link: '/performance' },
          { text: 'Latest bench results', link: '/results' },
          { text: 'The spec and our departures', link: '/spec' },
        ],
      },
    ],
    search: { provider: 'local' },
  },
})
