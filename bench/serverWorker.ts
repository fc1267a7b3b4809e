import type { Report, Selection } from './plan'
import { parentPort, workerData } from 'node:worker_threads'
import { startBenchServer } from './server'
import { generate } from './workloads'

/** Messages between the bench's main thread and this server thread. */
export type FromServer
  = | { type: 'ready', url: string, plan: ReturnType<typeof generate>['plan'] }
    | { type: 'report', report: Report }
export interface ServerWorkerData { selection: Selection, pageDir: string }

// The server runs on its own thread, so writing the streams never competes with the Node clients
// being timed on the main thread.
const { selection, pageDir } = workerData as ServerWorkerData
const port = parentPort!
const { plan, workloads } = generate(selection)
void startBenchServer({
  plan,
  workloads,
  pageDir,
  onReport: report => port.postMessage({ type: 'report', report } satisfies FromServer),
}).then((server) => {
  port.postMessage({ type: 'ready', url: server.url, plan } satisfies FromServer)
  port.on('message', (message) => {
    if (message === 'close')
      void server.close().then(() => port.close())
  })
})
