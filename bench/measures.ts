import type { EnvName, Sample, WorkloadInfo } from './plan'
import type { Results } from './results'
import { spread } from './stats'

/** Every round's time of one client on one workload, ms. */
export function times(samples: readonly Sample[], env: EnvName, phase: Sample['phase'], workload: string, client: string): number[] {
  return samples.filter(s => s.env === env && s.phase === phase && s.workload === workload && s.client === client).map(s => s.ms)
}

/** Median ms per MiB of one client on one of the one-event sizes. */
export function perMiB(results: Results, env: EnvName, workload: WorkloadInfo, client: string): number {
  return (spread(times(results.samples, env, 'scaling', workload.id, client))?.median ?? Number.NaN) / (workload.bytes / 1024 ** 2)
}

/** How many runs of one client on one workload failed. */
export function failures(results: Results, env: EnvName, workload: string, client: string): number {
  return results.failures.filter(f => f.env === env && f.workload === workload && f.client === client).length
}
