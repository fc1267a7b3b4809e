import type { TestProject } from 'vitest/node'
import { startTestServer } from '../server/index'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the scenario server, `http://127.0.0.1:<port>`. */
    serverUrl: string
  }
}

/** Browser tests share one scenario server, started in Node before the browser opens. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer()
  project.provide('serverUrl', server.url)
  return () => server.close()
}
