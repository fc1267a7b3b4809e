import { readFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'
import process from 'node:process'

export interface Machine {
  cpu: string
  cores: number
  ram: string
  os: string
  node: string
  chromium: string
  /** Versions of the compared packages, as installed. */
  packages: Record<string, string>
  loadBefore: number[]
  loadAfter: number[]
  date: string
}

const PRETTY_NAME = /^PRETTY_NAME="?([^"\n]*)"?$/m

function osName(): string {
  try {
    const pretty = PRETTY_NAME.exec(readFileSync('/etc/os-release', 'utf8'))
    return `${pretty?.[1] ?? process.platform}, Linux ${release()}`
  }
  catch {
    return `${process.platform} ${release()}`
  }
}

function version(name: string): string {
  try {
    return (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version
  }
  catch {
    return '?'
  }
}

/** The machine as `RESULTS.md` describes it; `loadAfter` is filled in when the run ends. */
export function describeMachine(chromium: string): Machine {
  const list = cpus()
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    ram: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: osName(),
    node: process.version,
    chromium,
    packages: Object.fromEntries(['vue', '@vueuse/core', '@microsoft/fetch-event-source', 'eventsource-parser', 'vite'].map(name => [name, version(name)])),
    loadBefore: loadavg(),
    loadAfter: [],
    date: new Date().toISOString(),
  }
}

export const currentLoad = loadavg
