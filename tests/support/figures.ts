import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const folder = fileURLToPath(new URL('../../.vitest-report/', import.meta.url))

/** Writes the figures a reliability test measured to `.vitest-report/figures-<name>.json`, for the README and CI. */
export function saveFigures(name: string, figures: Record<string, unknown>): void {
  mkdirSync(folder, { recursive: true })
  writeFileSync(`${folder}figures-${name}.json`, `${JSON.stringify({ ...figures, at: new Date().toISOString() }, null, 2)}\n`)
}
