import { readFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'
import { resolve } from 'node:path'
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

/** The packages compared (and the bundler), by their folder in node_modules: VueUse 15 is installed under an alias. */
const COMPARED = ['vue', '@vueuse/core', 'vueuse-core-15', '@microsoft/fetch-event-source', 'eventsource', 'event-source-polyfill', 'eventsource-parser', 'vite']

/** The name and version an installed package's own package.json gives. */
function installed(folder: string): { name: string, version: string } {
  try {
    const { name, version } = JSON.parse(readFileSync(resolve('node_modules', folder, 'package.json'), 'utf8')) as { name: string, version: string }
    return { name, version }
  }
  catch {
    return { name: folder, version: '?' }
  }
}

/** Each compared package's installed version, two versions of one package under one name ("14.4.0 and 15.0.0"). */
function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = {}
  for (const { name, version } of COMPARED.map(installed))
    versions[name] = name in versions ? `${versions[name]} and ${version}` : version
  return versions
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
    packages: packageVersions(),
    loadBefore: loadavg(),
    loadAfter: [],
    date: new Date().toISOString(),
  }
}

export const currentLoad = loadavg
