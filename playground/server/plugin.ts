import type { Plugin } from 'vite'
import type { Endpoint } from './endpoints.ts'
import { endpoints } from './endpoints.ts'

/**
 * Mounts the playground's SSE endpoints under `/sse/` in Vite's own dev server, so `npm run dev` is the
 * only process a person needs.
 */
export function sseEndpoints(): Plugin {
  return {
    name: 'vue-event-source:playground-endpoints',
    configureServer(server) {
      server.middlewares.use('/sse', (req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://playground.local')
        const endpoint: Endpoint | undefined = endpoints[url.pathname.slice(1)]
        if (endpoint === undefined)
          return next()
        endpoint(req, res, url)
      })
    },
  }
}
