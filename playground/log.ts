import type { ShallowRef } from 'vue'
import type { LogLine } from './components/EventLog.vue'
import { shallowRef } from 'vue'

/** A demo's log: the newest 200 lines, as a new array per line so components showing it update. */
export function useLog(): { lines: ShallowRef<LogLine[]>, add: (label: string, text: string) => void } {
  const lines = shallowRef<LogLine[]>([])
  let key = 0
  return {
    lines,
    add(label, text) {
      lines.value = [...lines.value.slice(-199), { key: ++key, label, text }]
    },
  }
}

/** Gaps and repeats in a list of numbered event ids that should run 1, 2, 3, … */
export function sequenceCheck(ids: readonly number[]): { gaps: number, duplicates: number } {
  let gaps = 0
  for (let i = 1; i < ids.length; i++) {
    if (ids[i]! > ids[i - 1]! + 1)
      gaps++
  }
  return { gaps, duplicates: ids.length - new Set(ids).size }
}
