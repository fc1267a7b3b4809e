import type { BurstSample, EnvName, Failure, MemorySample, Plan, Report, Sample } from './plan'

/** Everything one `npm run bench` gathered, from Node and from the page. */
export class Results {
  samples: Sample[] = []
  memory: MemorySample[] = []
  bursts: BurstSample[] = []
  failures: Failure[] = []
  info = new Map<string, string>()
  private done = new Map<EnvName, () => void>()
  private seen = new Set<string>()

  constructor(readonly plan: Plan, private log: (line: string) => void) {}

  add(report: Report): void {
    switch (report.kind) {
      case 'sample':
        this.samples.push(report.sample)
        this.progress(report.sample.env, `${report.sample.phase} round ${report.sample.round + 1}/${this.plan.rounds}`)
        break
      case 'memory':
        this.memory.push(report.sample)
        this.progress(report.sample.env, `memory round ${report.sample.round + 1}/${this.plan.rounds}`)
        break
      case 'burst':
        this.bursts.push(report.sample)
        this.progress(report.sample.env, `flush-mode bursts round ${report.sample.round + 1}/${this.plan.rounds}`)
        break
      case 'failure':
        this.failures.push(report.failure)
        this.log(`FAILED ${report.failure.env} ${report.failure.client} on ${report.failure.workload} (round ${report.failure.round + 1}): ${report.failure.message}`)
        break
      case 'info':
        this.info.set(`${report.env}.${report.key}`, report.value)
        break
      case 'done':
        this.log(`${report.env}: done`)
        this.done.get(report.env)?.()
    }
  }

  /** Resolves when `env` reports that it is done. */
  finished(env: EnvName): Promise<void> {
    return new Promise(resolve => this.done.set(env, resolve))
  }

  private progress(env: EnvName, phase: string): void {
    const key = `${env} ${phase}`
    if (!this.seen.has(key)) {
      this.seen.add(key)
      this.log(`${env}: ${phase}`)
    }
  }
}
