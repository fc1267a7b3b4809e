import type { Plugin } from 'vite'
import type { Endpoint } from './sse.ts'
import { connectionCounts, track } from './connections.ts'
import { chaos } from './endpoints/chaos.ts'
import { chat } from './endpoints/chat.ts'
import { clock } from './endpoints/clock.ts'
import { many } from './endpoints/many.ts'
import { named } from './endpoints/named.ts'
import { resume } from './endpoints/resume.ts'
import { secure } from './endpoints/secure.ts'
import { shared } from './endpoints/shared.ts'
import { json } from './sse.ts'

/**
 * Mounts the playground's SSE endpoints under `/sse/` in Vite's own dev server, so `npm run dev` is the
 * only process a person needs. `/sse/stats` reports the live connections of each endpoint.
 */
export function sseEndpoints(): Plugin {
  return {
    name: 'vue-event-source:playground-endpoints',
    configureServer(server) {
      // The chat demo keeps its runs in memory, or in Redis when REDIS_URL names one.
      const chatRuns = chat()
      server.httpServer?.once('close', () => void chatRuns.close())
      const endpoints: Record<string, Endpoint> = { clock, named, secure, resume, chat: chatRuns, chaos, shared, many }
      server.middlewares.use('/sse', (req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://playground.local')
        const [, name = '', ...rest] = url.pathname.split('/')
        if (name === 'stats')
          return json(res, connectionCounts())
        const endpoint = endpoints[name]
        if (endpoint === undefined)
          return next()
        const path = rest.length > 0 ? `/${rest.join('/')}` : ''
        if (path === '')
          track(name, res)
        endpoint(req, res, url, path)
      })
    },
  }
}
