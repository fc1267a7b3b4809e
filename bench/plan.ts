/** What the bench server tells a runner, in Node or in the page: the workloads and what to measure. */

export type EnvName = 'chromium' | 'node'
/** An environment's name in headings and chart titles. */
export const ENV_TITLE: Record<EnvName, string> = { chromium: 'Chromium (headless)', node: 'Node' }

/** One stream the server can send, with what every client must deliver from it. */
export interface WorkloadInfo {
  id: string
  /** A row title for the tables. */
  title: string
  /** Path on the bench server. */
  path: string
  /** Events in the stream. */
  count: number
  /** Bytes in the stream (what the raw read must count). */
  bytes: number
  /** `fold` over every event's data, in order. */
  checksum: number
  /** The last event ID after the last event. */
  lastEventId: string
  /** The type of every event (`message` when the stream names none). */
  eventType: string
  /** Clients read the body in pieces of this many bytes (0: as the platform delivers it). */
  readPiece: number
  /** The `maxEventSize` our clients get (the default, 4 Mi characters, is too small for the 16 MiB event). */
  maxEventSize: number
}

/** A paced stream for the flush-mode measurement. */
export interface BurstInfo extends WorkloadInfo {
  /** Events per second the server paces. */
  rate: number
  /** The data of the last event (refs must end on it). */
  lastData: string
}

export type Phase = 'timed' | 'scaling' | 'memory' | 'burst'

/** What `npm run bench` was asked to run. */
export interface Selection {
  smoke: boolean
  rounds: number
  phases: Phase[]
  /** Client ids (empty: all). */
  clients: string[]
  /** Timed workload ids (empty: all). */
  workloads: string[]
}

export interface Plan {
  smoke: boolean
  /** The parts of the suite to run (all by default). */
  phases: Phase[]
  /** Client ids to run, besides the raw read; empty for all. */
  clients: string[]
  /** Measured rounds (after one warm-up pass over the small versions). */
  rounds: number
  /** The five timed workloads, in table order. */
  workloads: WorkloadInfo[]
  /** The same as `workloads`, tiny, for the warm-up pass. */
  warmup: WorkloadInfo[]
  /** One event of growing size, for the linearity table. */
  scaling: WorkloadInfo[]
  /** The one-big-event stream whose live memory is sampled. */
  memory: WorkloadInfo
  burst: BurstInfo
  /** Longest one run may take before it counts as failed, in ms. */
  timeout: number
}

/** One timed run: a client reading a workload in one round. */
export interface Sample {
  env: EnvName
  phase: 'timed' | 'scaling'
  workload: string
  client: string
  round: number
  ms: number
  /** Reads the raw client needed (how the bytes arrived); 0 for others. */
  reads: number
}

/** Peak live heap while one client read the memory workload. */
export interface MemorySample {
  env: EnvName
  client: string
  round: number
  /** Peak bytes above the baseline, sampled after a full GC at reads and at delivery. */
  peak: number
  samples: number
}

/** One run of the flush-mode measurement. */
export interface BurstSample {
  env: EnvName
  mode: 'sync' | 'microtask' | 'frame'
  round: number
  /** From the first handled event to the last, ms. */
  ms: number
  /** Events `on()` handled, and how many of the server's it missed. */
  handled: number
  lost: number
  /** Whether the handler's order-sensitive checksum (data and id of every event) matched. */
  checksumOk: boolean
  /** Times the `data` ref changed (a sync watcher's runs) and the component rendered. */
  refUpdates: number
  renders: number
  /** Whether `data` and `lastEventId` ended on the last event once the flush ran. */
  refsCaughtUp: boolean
}

/** A client that delivered the wrong thing, or none in time. */
export interface Failure {
  env: EnvName
  workload: string
  client: string
  round: number
  message: string
}

/** Everything a runner reports, tagged. */
export type Report
  = | { kind: 'sample', sample: Sample }
    | { kind: 'memory', sample: MemorySample }
    | { kind: 'burst', sample: BurstSample }
    | { kind: 'failure', failure: Failure }
    | { kind: 'info', env: EnvName, key: string, value: string }
    | { kind: 'done', env: EnvName }
