import { readdirSync, readFileSync } from 'node:fs'

// The CPU time of Chromium's renderer main threads, as the Linux kernel accounts it: the first field of
// /proc/<pid>/task/<tid>/schedstat, nanoseconds spent running. A renderer's main thread (Blink's
// "CrRendererMain", where the page's JavaScript, Vue's flush, style, layout and paint run) is the thread
// whose id is the process's own (Chromium names other threads, never the main one, so as not to rename
// the process). Nothing is instrumented in the page, so nothing measured changes what it measures.

const PID = /^\d+$/
/** A renderer's arguments, NUL-separated or (once Chromium has rewritten its process title) space-separated. */
const RENDERER = /(?:^|[\0 ])--type=renderer(?:[\0 ]|$)/
/** The renderer of the browser's own UI, idle in headless mode: not the page's. */
const WEBUI = /(?:^|[\0 ])--top-chrome-webui(?:[\0 ]|$)/

/** The parent of each process in /proc. */
function parents(): Map<number, number> {
  const parent = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!PID.test(entry))
      continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")"
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parent.set(Number(entry), ppid)
    }
    catch {} // gone while listing
  }
  return parent
}

/** `root` and every process below it. */
function descendants(root: number): number[] {
  const parent = parents()
  const found = [root]
  for (let i = 0; i < found.length; i++) {
    for (const [pid, ppid] of parent) {
      if (ppid === found[i])
        found.push(pid)
    }
  }
  return found
}

/**
 * Nanoseconds the main threads of every renderer process under `browserPid` have run, summed (an idle
 * spare renderer adds nothing to a difference). A difference of two readings is the page's main-thread
 * time between them.
 */
export function rendererMainThreadNs(browserPid: number): number {
  let total = 0
  for (const pid of descendants(browserPid)) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!RENDERER.test(args) || WEBUI.test(args))
        continue
      total += Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0])
    }
    catch {} // exited while reading
  }
  return total
}
