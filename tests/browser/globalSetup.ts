import type { TestProject } from 'vitest/node'
import process from 'node:process'
import { startExpressServers } from '../fixtures/servers/express'
import { startRestartableServer } from '../fixtures/servers/restartable'
import { startLastEventIdRunServer } from '../fixtures/servers/runs/lastEventId'
import { startTestServer } from '../server/index'
import { startNginx } from '../support/nginx'
import { freePort } from '../support/ports'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the scenario server, `http://127.0.0.1:<port>`. */
    serverUrl: string
    /** Base URL of a second scenario server: another origin, for redirects. */
    otherServerUrl: string
    /** Base URL of a third scenario server, for tests that fill its per-origin connection limit. */
    limitServerUrl: string
    /** Base URL of the express servers written as the seeds' guides write them (tests/fixtures/servers). */
    expressUrl: string
    /** Base URL of Debian's nginx in front of the scenario server (tests/support/nginx.ts). */
    nginxUrl: string
    /** Base URL of an express server that a test can restart, and of its control server (tests/fixtures/servers/restartable.ts). */
    restartableUrl: string
    restartControlUrl: string
    /** A 127.0.0.1 URL nothing listens on: every connection to it is refused. */
    refusedUrl: string
    /** Base URL of the Last-Event-ID run server (tests/fixtures/servers/runs/lastEventId.ts), another origin. */
    runServerUrl: string
    /** Seed of the generated streams of the Chromium comparison (`CONFORMANCE_SEED` overrides it). */
    conformanceSeed: number
  }
}

/** Browser tests share one scenario server (and a second one, another origin), started in Node before the browser opens. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer()
  const other = await startTestServer()
  const limit = await startTestServer()
  const express = await startExpressServers()
  const nginx = await startNginx(server.url)
  const restartable = await startRestartableServer()
  const runs = await startLastEventIdRunServer({ events: 30, intervalMs: 10 })
  project.provide('serverUrl', server.url)
  project.provide('otherServerUrl', other.url)
  project.provide('limitServerUrl', limit.url)
  project.provide('expressUrl', express.url)
  project.provide('nginxUrl', nginx.url)
  project.provide('restartableUrl', restartable.url)
  project.provide('restartControlUrl', restartable.controlUrl)
  project.provide('runServerUrl', runs.url)
  project.provide('refusedUrl', `http://127.0.0.1:${await freePort()}`)
  project.provide('conformanceSeed', Number(process.env.CONFORMANCE_SEED ?? 20_250_611))
  return async () => {
    nginx.close()
    await Promise.all([server.close(), other.close(), limit.close(), express.close(), restartable.close(), runs.close()])
  }
}
