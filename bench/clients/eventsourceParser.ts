import type { BenchClient, Delivered } from './types'
import { createParser } from 'eventsource-parser'
import { fold, SEED } from '../checksum'
import { readText } from './readText'

/** eventsource-parser's `createParser`, fed by the smallest fetch loop that decodes the body. */
export const eventsourceParser: BenchClient = {
  id: 'eventsource-parser',
  label: 'eventsource-parser 4 over fetch',
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
    await readText(fetch, url, (text) => {
      parser.feed(text)
      return count === workload.count
    })
    return { count, checksum, lastEventId, dispose() {} }
  },
}
