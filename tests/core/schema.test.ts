/**
 * Standard Schema for event data (issue 33): the same cases with Zod, Valibot and ArkType, real schemas
 * of each library, over the scenario server's bytes. README.md, docs/guide/api.md (`parse`), docs/guide/errors.md and docs/guide/recipes.md
 * ("Validated events") promise these.
 */
import type { EventSourceDataError, EventSourceError } from '../../src/core/errors'
import type { StandardSchemaV1 } from '../../src/core/types'
import { type } from 'arktype'
import * as v from 'valibot'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { CLOSED } from '../../src/core/types'
import { connect, stageScript, streamOf, uniqueKey, useTestServer } from '../support/helpers'

const server = useTestServer()

interface Alert { level: 'info' | 'warn', text: string }

/** The same Alert schema in each library. */
const libraries: [string, StandardSchemaV1<unknown, Alert>][] = [
  ['Zod', z.object({ level: z.enum(['info', 'warn']), text: z.string() })],
  ['Valibot', v.object({ level: v.picklist(['info', 'warn']), text: v.string() })],
  ['ArkType', type({ level: '"info" | "warn"', text: 'string' })],
]

const stream = [
  'event: alert\ndata: {"level":"info","text":"one"}\n\n',
  'event: tick\ndata: 7\n\n',
  'event: alert\ndata: {"level":"loud","text":"two"}\n\n',
  'event: alert\ndata: {"level":"warn","text":"three"}\n\n',
  'event: close\ndata: bye\n\n',
].join('')

async function run<Data>(parse: object, events = stream) {
  const key = uniqueKey()
  const url = await stageScript(server.current.url, key, [streamOf(events)])
  const recorded = connect<Data>(url, { parse: parse as never, closeEvent: 'close' })
  const alerts: unknown[] = []
  recorded.client.on('alert', m => alerts.push(m.data))
  await vi.waitFor(() => expect(recorded.client.state.readyState).toBe(CLOSED))
  return { ...recorded, alerts }
}

describe.each(libraries)('a %s schema', (_, Alert) => {
  it('per event type: valid data is its output; invalid data is a parse error with the schema\'s issues, and the stream goes on', async () => {
    const { alerts, errors, messages } = await run({ alert: Alert, tick: (raw: string) => Number(raw) })
    expect(alerts).toEqual([{ level: 'info', text: 'one' }, { level: 'warn', text: 'three' }])
    expect(messages.filter(m => m.event === 'tick').map(m => m.data)).toEqual([7])
    expect(errors).toHaveLength(1)
    const error = errors[0] as EventSourceDataError
    expect([error.type, error.event, error.lastEventId]).toEqual(['parse', 'alert', ''])
    expect(error.issues).toHaveLength(1)
    expect(error.issues![0]!.path).toEqual(['level'])
    expect(error.issues![0]!.message).toEqual(expect.any(String))
    // Each issue is its message and path, plain data: nothing else of the library's issue (Valibot's holds
    // the input); the raw text is where every data error has it.
    expect(error.issues!.map(issue => Object.keys(issue).sort())).toEqual([['message', 'path']])
    expect(Array.isArray(error.issues![0]!.path) && Object.getPrototypeOf(error.issues![0]!.path) === Array.prototype).toBe(true)
  })

  it('for every message: one schema for the whole stream', async () => {
    const events = 'data: {"level":"info","text":"a"}\n\ndata: {"level":1}\n\ndata: {"level":"warn","text":"b"}\n\nevent: close\ndata: x\n\n'
    const { messages, errors } = await run(Alert, events)
    expect(messages.map(m => m.data)).toEqual([{ level: 'info', text: 'a' }, { level: 'warn', text: 'b' }])
    expect(errors.map(e => (e as EventSourceDataError).issues?.map(issue => issue.path))).toEqual([expect.arrayContaining([['level']])])
  })

  it('data that is not JSON is a parse error without issues, as with parse: \'json\'', async () => {
    const { errors, alerts } = await run({ alert: Alert }, 'event: alert\ndata: not json\n\nevent: alert\ndata: {"level":"info","text":"ok"}\n\nevent: close\ndata: x\n\n')
    expect(alerts).toEqual([{ level: 'info', text: 'ok' }])
    expect(errors.map(e => [e.type, (e as EventSourceDataError).issues])).toEqual([['parse', undefined]])
  })
})

describe('an async schema', () => {
  /** An async schema of each library that can have one, and one written to the spec that answers after a random wait. */
  const asyncSchemas: [string, StandardSchemaV1<unknown, { n: number }>][] = [
    ['Zod', z.object({ n: z.number() }).refine(async value => value.n >= 0, { message: 'negative' })],
    ['Valibot', v.objectAsync({ n: v.pipeAsync(v.number(), v.checkAsync(async n => n >= 0, 'negative')) })],
    ['hand-written, answering after 0–20 ms', {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: value => new Promise(resolve => setTimeout(() => resolve((value as { n: number }).n >= 0 ? { value: value as { n: number } } : { issues: [{ message: 'negative', path: ['n'] }] }), Math.random() * 20)),
      },
    }],
  ]

  it.each(asyncSchemas)('%s: events reach the handlers in order, a failure among them reported in its place', async (_, Schema) => {
    const events = Array.from({ length: 20 }, (_, i) => `id: ${i + 1}\ndata: {"n":${i === 7 ? -1 : i}}\n\n`).join('')
    const key = uniqueKey()
    const url = await stageScript(server.current.url, key, [streamOf(`${events}event: close\ndata: x\n\n`)])
    const order: string[] = []
    const errors: EventSourceError[] = []
    const recorded = connect<{ n: number }>(url, { parse: Schema, closeEvent: 'close', onError: (e) => {
      errors.push(e)
      order.push(`error ${(e as EventSourceDataError).lastEventId}`)
    } })
    recorded.client.on('message', m => order.push(`event ${m.lastEventId}`))
    await vi.waitFor(() => expect(order).toHaveLength(20), { timeout: 3000 })
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i === 7 ? 'error 8' : `event ${i + 1}`))
    expect(recorded.messages.map(m => m.data.n)).toEqual(Array.from({ length: 20 }, (_, i) => i).filter(n => n !== 7))
    expect((errors[0] as EventSourceDataError).issues![0]!.message).toContain('negative')
  })
})
