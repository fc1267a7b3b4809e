import type { BenchClient, Delivered } from './types'

/** The limit: fetch the stream and read its bytes, without decoding or parsing them. */
export const raw: BenchClient = {
  id: 'raw',
  label: 'raw `fetch` read',
  runsIn: ['chromium', 'node'],
  kind: 'bytes',
  takesFetch: true,
  async run({ url, fetch, probe }): Promise<Delivered> {
    const response = await fetch(url)
    const reader = response.body!.getReader()
    let bytes = 0
    let reads = 0
    while (true) {
      const { done, value } = await reader.read()
      if (done)
        break
      bytes += value.byteLength
      reads++
    }
    probe()
    return { count: 0, checksum: 0, lastEventId: '', bytes, reads, dispose() {} }
  },
}
