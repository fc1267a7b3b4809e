import type { EnvName, Sample } from './plan'

/**
 * Per workload and client, each round's time divided by the time of `base` (the raw read unless told)
 * on that workload in that same round.
 */
export function ratios(samples: readonly Sample[], env: EnvName, phase: Sample['phase'], base = 'raw'): Map<string, Map<string, number[]>> {
  const mine = samples.filter(s => s.env === env && s.phase === phase)
  const baseOf = new Map(mine.filter(s => s.client === base).map(s => [`${s.workload}/${s.round}`, s.ms]))
  const out = new Map<string, Map<string, number[]>>()
  for (const sample of mine) {
    const limit = baseOf.get(`${sample.workload}/${sample.round}`)
    if (limit === undefined || sample.client === base)
      continue
    const byClient = out.get(sample.workload) ?? new Map<string, number[]>()
    out.set(sample.workload, byClient)
    byClient.set(sample.client, [...(byClient.get(sample.client) ?? []), sample.ms / limit])
  }
  return out
}
