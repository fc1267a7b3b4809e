import type { EventSourceMessage } from '../../src/core/index'
import { createEventSource as baseClient } from '@base/core/index'
import { createEventStreamParser as baseParser } from '@base/core/parse'
import { useEventSource as baseComposable } from '@base/index'
import { createParser } from 'eventsource-parser'
import { createApp, defineComponent } from 'vue'
import { createEventSource } from '../../src/core/index'
import { createEventStreamParser } from '../../src/core/parse'
import { useEventSource } from '../../src/index'
import { readText } from '../clients/readText'

// The page of `npm run bench:compare`: the same bytes through each layer of this working tree ("new")
// and of a git ref ("base"), read from memory (no network), in one page and in the same rounds, with
// eventsource-parser as the yardstick. The Node side computes the per-round ratios.

interface Workload { id: string, type: string, count: number, chunks: Uint8Array[] }
type Run = (workload: Workload) => Promise<void>

let sink = 0
function body(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(chunk)
      controller.close()
    },
  })
}
const fetchOf = (chunks: readonly Uint8Array[]) => async (): Promise<Response> => new Response(body(chunks), { headers: { 'content-type': 'text/event-stream' } })

/** The bench's smallest fetch loop, over the chunks in memory. */
const read = (chunks: readonly Uint8Array[], feed: (text: string) => void): Promise<void> => readText(fetchOf(chunks) as typeof fetch, 'http://compare.local/stream', feed)

type ParserFactory = typeof createEventStreamParser
const parser = (create: ParserFactory): Run => w => read(w.chunks, create({ onEvent: (_, data) => (sink += data.length), onRetry: () => {} }).feed)

type ClientFactory = (url: string, options: object) => { on: (type: string, handler: (m: EventSourceMessage) => void) => void, open: () => void, close: () => void }
function client(create: ClientFactory): Run {
  return w => new Promise((resolve) => {
    let count = 0
    const source = create('http://compare.local/stream', { fetch: fetchOf(w.chunks), reconnect: false })
    source.on(w.type, ({ data }) => {
      sink += data.length
      if (++count === w.count) {
        source.close()
        resolve()
      }
    })
    source.open()
  })
}

type ComposableFactory = (url: string, options: object) => { data: { value: unknown }, on: (type: string, handler: () => void) => void, close: () => void }
/** In a mounted component, as the bench's `vue-refs`: every event through on(), which reads `data`. */
function composable(use: ComposableFactory): Run {
  return w => new Promise((resolve) => {
    let count = 0
    const app = createApp(defineComponent({
      setup() {
        const { data, on, close } = use('http://compare.local/stream', { fetch: fetchOf(w.chunks), reconnect: false, events: w.type === 'message' ? [] : [w.type] })
        on(w.type, () => {
          sink += (data.value as string).length
          if (++count === w.count) {
            close()
            resolve()
            queueMicrotask(() => app.unmount())
          }
        })
        return () => null
      },
    }))
    app.mount(document.createElement('div'))
  })
}

const RUNS: Record<string, Run> = {
  'eventsource-parser': w => read(w.chunks, createParser({ onEvent: e => (sink += e.data.length) }).feed),
  'parser new': parser(createEventStreamParser),
  'parser base': parser(baseParser),
  'core new': client(createEventSource as unknown as ClientFactory),
  'core base': client(baseClient as unknown as ClientFactory),
  'useEventSource new': composable(useEventSource as unknown as ComposableFactory),
  'useEventSource base': composable(baseComposable as unknown as ComposableFactory),
}

/** Every run of every workload, `rounds` times after one warm-up, the order rotating each round: ms per run. */
async function compare(workloads: { id: string, type: string, count: number, url: string }[], rounds: number, chunkSize: number): Promise<Record<string, Record<string, number[]>>> {
  const out: Record<string, Record<string, number[]>> = {}
  const names = Object.keys(RUNS)
  for (const info of workloads) {
    const bytes = new Uint8Array(await (await fetch(info.url)).arrayBuffer())
    const chunks: Uint8Array[] = []
    for (let at = 0; at < bytes.length; at += chunkSize)
      chunks.push(bytes.slice(at, at + chunkSize))
    const workload: Workload = { ...info, chunks }
    const times: Record<string, number[]> = out[info.id] = {}
    for (let round = -1; round < rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + Math.max(round, 0)) % names.length]!
        const started = performance.now()
        await RUNS[name]!(workload)
        if (round >= 0)
          (times[name] ??= []).push(performance.now() - started)
      }
    }
  }
  return out
}

// `sinkOf` keeps what every run adds up observable, so no bundler or engine drops that work.
Object.assign(window, { compare, sinkOf: () => sink })
