import type { BenchClient, Delivered } from './types'
import { createParser } from 'eventsource-parser'
import { fold, SEED } from '../checksum'

/** eventsource-parser's `createParser`, fed by the smallest fetch loop that decodes the body. */
export const eventsourceParser: BenchClient = {
  id: 'eventsource-parser',
  label: 'eventsource-parser over fetch',
  runsIn: ['chromium', 'node'],
  kind: 'events',
  takesFetch: true,
  async run({ url, workload, fetch, probe }): Promise<Delivered> {
    let count = 0
    let checksum = SEED
    let lastEventId = ''
    const parser = createParser({
      onEvent(event) {
        checksum = fold(checksum, event.data)
        if (event.id !== undefined)
          lastEventId = event.id
        if (++count === workload.count)
          probe()
      },
    })
    const response = await fetch(url, { headers: { accept: 'text/event-stream' } })
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    while (count < workload.count) {
      const { done, value } = await reader.read()
      if (done)
        break
      parser.feed(decoder.decode(value, { stream: true }))
    }
    void reader.cancel().catch(() => {})
    return { count, checksum, lastEventId, dispose() {} }
  },
}
