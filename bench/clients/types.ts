import type { Env } from '../env'
import type { EnvName, WorkloadInfo } from '../plan'

/** What one run of a client delivered, and how to clean up once the clock has stopped. */
export interface Delivered {
  count: number
  checksum: number
  lastEventId: string
  /** Bytes read (the raw read only). */
  bytes?: number
  /** Reads the body took (the raw read only). */
  reads?: number
  /** Unmounts or closes whatever is left; not timed. */
  dispose: () => void
}

export interface RunContext {
  env: Env
  url: string
  workload: WorkloadInfo
  fetch: typeof globalThis.fetch
  /** Called at the last event while its data is still referenced (the memory pass samples the heap here). */
  probe: () => void
}

export interface BenchClient {
  id: string
  /** A column title for the tables. */
  label: string
  runsIn: readonly EnvName[]
  /** `bytes` for the raw read, which checks the byte count instead of events. */
  kind: 'events' | 'bytes'
  /** Whether it reads through the `fetch` it is given (the EventSource-based ones cannot). */
  takesFetch: boolean
  /**
   * The `maxEventSize` it is held to, for a client that cannot be given one (our drop-ins keep the core's
   * default, as the APIs they copy have no such option): it sits out a workload that needs more.
   */
  maxEventSize?: number
  /** One of this library's clients (the charts group and mark them). */
  ours?: boolean
  /** Resolves once every event has been delivered (and, for rendering clients, rendered). */
  run: (context: RunContext) => Promise<Delivered>
}

/** A promise with its settle functions outside. */
export function deferred<T>(): { promise: Promise<T>, resolve: (value: T) => void, reject: (error: unknown) => void } {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

export function ended(count: number, expected: number): Error {
  return new Error(`the stream ended after ${count} of ${expected} events`)
}
