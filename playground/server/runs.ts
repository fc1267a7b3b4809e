/**
 * Where the chat demo keeps its runs so that a client can read them again after a break or a reload.
 *
 * A run is the text of its event stream. Every event carries `id: <n>`, n being the length of the run's
 * text up to the end of that event, so a resume that sends `Last-Event-ID: n` reads the text from n on:
 * one convention for both stores.
 * - In memory (the default): the text stays in this process, 5 minutes after the run ends.
 * - With `REDIS_URL` set: Vercel's `resumable-stream` over Redis, as a deployment of several instances runs
 *   it. It replays from a character offset (`skipCharacters`) and answers nothing (204) once a run is over.
 */
export interface RunStore {
  readonly name: 'memory' | 'redis'
  /** Starts reading `produce` to its end, whoever listens, and returns the run's stream from its start. */
  start: (id: string, produce: () => ReadableStream<string>) => Promise<ReadableStream<string>>
  /** The run's stream from character `from` on, then live; `null` for a run that is over, `undefined` for none. */
  resume: (id: string, from: number) => Promise<ReadableStream<string> | null | undefined>
  /** Lets go of what the store holds open (its Redis connections). */
  close: () => Promise<void>
}

const KEEP_MS = 5 * 60_000

interface Run {
  text: string
  done: boolean
  readers: Set<ReadableStreamDefaultController<string>>
}

/** Runs kept in this process's memory, replayable for 5 minutes after their end. */
export function memoryRuns(): RunStore {
  const runs = new Map<string, Run>()
  const follow = (run: Run, from: number): ReadableStream<string> => {
    let reader: ReadableStreamDefaultController<string> | undefined
    return new ReadableStream<string>({
      start(controller) {
        if (from < run.text.length)
          controller.enqueue(run.text.slice(from))
        if (run.done)
          return controller.close()
        reader = controller
        run.readers.add(controller)
      },
      cancel() {
        if (reader)
          run.readers.delete(reader)
      },
    })
  }
  return {
    name: 'memory',
    async start(id, produce) {
      const run: Run = { text: '', done: false, readers: new Set() }
      runs.set(id, run)
      void (async () => {
        const reader = produce().getReader()
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          run.text += chunk.value
          for (const controller of run.readers)
            controller.enqueue(chunk.value)
        }
        run.done = true
        for (const controller of run.readers)
          controller.close()
        run.readers.clear()
        setTimeout(() => runs.delete(id), KEEP_MS).unref()
      })()
      return follow(run, 0)
    },
    async resume(id, from) {
      const run = runs.get(id)
      return run && follow(run, from)
    },
    close: async () => runs.clear(),
  }
}

/** Runs in Redis through `resumable-stream`, loaded only when `REDIS_URL` asks for it. */
export async function redisRuns(url: string): Promise<RunStore> {
  const [{ createClient }, { createResumableStreamContext }] = await Promise.all([import('redis'), import('resumable-stream')])
  const publisher = createClient({ url })
  const subscriber = createClient({ url })
  for (const client of [publisher, subscriber])
    client.on('error', (error: unknown) => console.warn('[playground] Redis:', error))
  await Promise.all([publisher.connect(), subscriber.connect()])
  const context = createResumableStreamContext({ waitUntil: null, publisher, subscriber })
  return {
    name: 'redis',
    async start(id, produce) {
      const stream = await context.createNewResumableStream(id, produce)
      if (!stream)
        throw new Error(`resumable-stream calls the new run ${id} over`)
      return stream
    },
    resume: (id, from) => context.resumeExistingStream(id, from),
    async close() {
      await Promise.allSettled([publisher.close(), subscriber.close()])
    },
  }
}

/**
 * One event of a run whose text is `before` characters long so far, with `id:` the length of the text once
 * the event is added: the offset a resume that sends this id reads on from.
 */
export function runEvent(before: number, data: string): string {
  const rest = `\ndata: ${data}\n\n`
  const base = before + 'id: '.length + rest.length
  let digits = 1
  while (String(base + digits).length !== digits)
    digits++
  return `id: ${base + digits}${rest}`
}
