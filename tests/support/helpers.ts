import type { EventSourceClient } from '../../src/core/client'
import type { EventSourceError } from '../../src/core/errors'
import type { EventSourceMessage, EventSourceOptions, EventSourceState, UrlSource } from '../../src/core/types'
import type { TestServer } from '../server/index'
import type { ReplayResponse } from '../server/replay'
import { Buffer } from 'node:buffer'
import process from 'node:process'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createClient } from '../../src/core/client'
import { startTestServer } from '../server/index'
import { routeUrl } from '../server/route'

/** Starts the scenario server for this test file; read `.current` inside tests. */
export function useTestServer(): { current: TestServer } {
  const holder = {} as { current: TestServer }
  beforeAll(async () => {
    holder.current = await startTestServer()
  })
  afterAll(async () => {
    await holder.current.close()
  })
  return holder
}

let keys = 0
/** A key no other test uses, so each test reads only its own traffic from the server. */
export function uniqueKey(): string {
  return `k${process.pid}-${++keys}`
}

export interface Recorded<Data> {
  client: EventSourceClient<Data>
  messages: EventSourceMessage<Data>[]
  errors: EventSourceError[]
  /** Every state the client published, copied. */
  states: EventSourceState[]
}

const opened: EventSourceClient<any>[] = []
afterEach(() => {
  for (const client of opened.splice(0))
    client.close()
})

/** Creates a client that records what it delivers, opens it, and closes it after the test. */
export function connect<Data = string>(url: UrlSource, options: EventSourceOptions<Data> = {}): Recorded<Data> {
  const messages: EventSourceMessage<Data>[] = []
  const errors: EventSourceError[] = []
  const states: EventSourceState[] = []
  const client = createClient<Data, Record<never, never>>(url, {
    ...options,
    onMessage(message) {
      messages.push(message)
      options.onMessage?.(message)
    },
    onError(error) {
      errors.push(error)
      options.onError?.(error)
    },
  })
  client.subscribe(state => states.push({ ...state }))
  opened.push(client)
  client.open()
  return { client, messages, errors, states }
}

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Resolves once `check()` is true, polling every 10 ms; rejects after `timeout` ms. */
export async function until(check: () => boolean, timeout = 5000): Promise<void> {
  const end = Date.now() + timeout
  while (!check()) {
    if (Date.now() > end)
      throw new Error('timed out')
    await sleep(10)
  }
}

/** Stages a script on the server's `/replay` route (see tests/server/replay.ts); returns the URL that replays it. */
export async function stageScript(base: string, key: string, responses: ReplayResponse[]): Promise<string> {
  const id = `script-${key}`
  const answer = await fetch(routeUrl(base, 'stage'), { method: 'POST', body: JSON.stringify({ id, responses }) })
  if (!answer.ok)
    throw new Error(`staging failed: ${answer.status}`)
  return routeUrl(base, 'replay', { script: id, key })
}

/** A 200 event-stream response of one chunk, for `stageScript`. */
export function streamOf(text: string): ReplayResponse {
  return { chunks: [Buffer.from(text).toString('base64')] }
}
