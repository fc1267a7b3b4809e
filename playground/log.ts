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
