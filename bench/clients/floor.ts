import type { BenchClient, Delivered } from './types'
import { fold, SEED } from '../checksum'
import { readText } from './readText'

/**
 * A floor, not a client: decode the body, find every LF, slice the `data: ` and `id: ` values (every
 * other line is skipped by its first character alone) and fold each event at its blank line. It
 * understands only what the workloads send (no CR, comments, `retry:`, BOM or size limits), so no
 * conformant parser can be cheaper; its ratio shows how much of a client's time any parser in
 * JavaScript must spend.
 */
export const floor: BenchClient = {
  id: 'floor',
  label: 'floor: decode + split lines (not a parser)',
  runsIn: ['chromium', 'node'],
  kind: 'events',
  takesFetch: true,
  async run({ url, workload, fetch, probe }): Promise<Delivered> {
    let count = 0
    let checksum = SEED
    let lastEventId = ''
    let id = ''
    let data = ''
    let lines = 0
    let pending = ''
    await readText(fetch, url, (piece) => {
      let text = piece
      if (pending !== '') {
        if (!piece.includes('\n')) {
          pending += piece
          return
        }
        text = pending + piece
        pending = ''
      }
      let position = 0
      let lf = text.indexOf('\n')
      while (lf !== -1) {
        if (lf === position) {
          lastEventId = id
          if (lines > 0) {
            checksum = fold(checksum, data)
            lines = 0
            if (++count === workload.count)
              probe()
          }
        }
        else {
          const first = text.charCodeAt(position)
          if (first === 100) { // data: <value>
            const line = text.slice(position + 6, lf)
            data = lines++ === 0 ? line : `${data}\n${line}`
          }
          else if (first === 105) { // id: <value>
            id = text.slice(position + 4, lf)
          }
        }
        position = lf + 1
        lf = text.indexOf('\n', position)
      }
      if (position < text.length)
        pending = text.slice(position)
    })
    return { count, checksum, lastEventId, dispose() {} }
  },
}
