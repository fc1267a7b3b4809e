import type { BenchClient, Delivered, RunContext } from './clients/types'
import type { Env } from './env'
import type { Phase, Plan, Report, WorkloadInfo } from './plan'
import { FLUSH_MODES, runBurst } from './burst'
import { clients, memoryClients, oneEventClients } from './clients/index'
import { heapWatch, sampledFetch } from './memory'
import { piecewiseFetch } from './pieces'

const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** The same list started at a different place each round, so no client always runs first or last. */
function rotate<T>(list: readonly T[], by: number): T[] {
  const start = by % list.length
  return [...list.slice(start), ...list.slice(0, start)]
}

function mismatch(client: BenchClient, workload: WorkloadInfo, got: Delivered): string | null {
  if (client.kind === 'bytes')
    return got.bytes === workload.bytes ? null : `read ${got.bytes} bytes, expected ${workload.bytes}`
  if (got.count !== workload.count)
    return `delivered ${got.count} events, expected ${workload.count}`
  if (got.checksum !== workload.checksum)
    return `checksum ${got.checksum} differs from ${workload.checksum}: events changed or out of order`
  if (got.lastEventId !== workload.lastEventId)
    return `last event ID ${JSON.stringify(got.lastEventId)}, expected ${JSON.stringify(workload.lastEventId)}`
  return null
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(reject, ms, new Error(`no complete delivery within ${ms} ms`))
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Runs the whole plan in one environment and reports as it goes: a warm-up pass (not recorded), then per
 * round every workload through every client (the raw read included, so ratios come from one round), the
 * one-event sizes for the linearity table, the memory pass, and the flush-mode bursts.
 */
export async function runSuite(env: Env, plan: Plan, base: string, send: (report: Report) => void | Promise<void>): Promise<void> {
  const chosen = (client: BenchClient): boolean => client.id === 'raw' || plan.clients.length === 0 || plan.clients.includes(client.id)
  const here = (list: readonly BenchClient[]): BenchClient[] => list.filter(client => client.runsIn.includes(env.name) && chosen(client))
  /**
   * The clients that can read `workload`: one read in fixed pieces needs a client that takes a fetch, and
   * one whose events need a larger `maxEventSize` than a client is held to is sat out.
   */
  const able = (list: readonly BenchClient[], workload: WorkloadInfo): BenchClient[] => here(list).filter(client =>
    (workload.readPiece === 0 || client.takesFetch) && workload.maxEventSize <= (client.maxEventSize ?? Infinity))
  const fetchFor = (workload: WorkloadInfo): typeof globalThis.fetch => workload.readPiece > 0 ? piecewiseFetch(env.fetch, workload.readPiece) : env.fetch

  /** One run, checked; returns its time in ms, or null after reporting a failure. */
  async function once(client: BenchClient, workload: WorkloadInfo, round: number, context: Partial<RunContext> = {}): Promise<{ ms: number, delivered: Delivered } | null> {
    env.gc()
    await pause(5)
    const started = performance.now()
    try {
      const delivered = await withTimeout(client.run({ env, url: base + workload.path, workload, fetch: fetchFor(workload), probe() {}, ...context }), plan.timeout)
      const ms = performance.now() - started
      delivered.dispose()
      const wrong = mismatch(client, workload, delivered)
      if (wrong === null)
        return { ms, delivered }
      await send({ kind: 'failure', failure: { env: env.name, workload: workload.id, client: client.id, round, message: wrong } })
    }
    catch (error) {
      await send({ kind: 'failure', failure: { env: env.name, workload: workload.id, client: client.id, round, message: error instanceof Error ? error.message : String(error) } })
    }
    return null
  }

  async function timed(phase: 'timed' | 'scaling', list: readonly BenchClient[], workloads: readonly WorkloadInfo[], round: number): Promise<void> {
    for (const workload of workloads) {
      for (const client of rotate(able(list, workload), round)) {
        const result = await once(client, workload, round)
        if (result !== null)
          await send({ kind: 'sample', sample: { env: env.name, phase, workload: workload.id, client: client.id, round, ms: result.ms, reads: result.delivered.reads ?? 0 } })
      }
    }
  }

  const runs = (phase: Phase): boolean => plan.phases.includes(phase)
  for (const workload of plan.warmup) {
    for (const client of able(clients, workload))
      await once(client, workload, -1)
  }
  for (let round = 0; round < plan.rounds && runs('timed'); round++)
    await timed('timed', here(clients), plan.workloads, round)
  for (let round = 0; round < plan.rounds && runs('scaling'); round++)
    await timed('scaling', here(oneEventClients), plan.scaling, round)

  const liveHeap = env.liveHeap
  if (liveHeap !== null && runs('memory')) {
    for (let round = 0; round < plan.rounds; round++) {
      for (const client of able(memoryClients, plan.memory)) {
        env.gc()
        const watch = heapWatch(liveHeap)
        const fetch = sampledFetch(fetchFor(plan.memory), watch.sample, 16)
        if (await once(client, plan.memory, round, { fetch, probe: watch.sample }) !== null)
          await send({ kind: 'memory', sample: { env: env.name, client: client.id, round, peak: watch.peak(), samples: watch.samples() } })
      }
    }
  }

  for (let round = 0; round < plan.rounds && runs('burst'); round++) {
    for (const mode of FLUSH_MODES)
      await send({ kind: 'burst', sample: await runBurst(env, base + plan.burst.path, plan.burst, mode, round, plan.timeout) })
  }
  await send({ kind: 'done', env: env.name })
}
