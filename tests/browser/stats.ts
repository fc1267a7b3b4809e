import type { KeyStats } from '../server/index'
import { inject } from 'vitest'

export const serverUrl = inject('serverUrl')

let keys = 0
/** A key no other test uses, so each test reads only its own traffic from the server. */
export function uniqueKey(): string {
  return `b${Date.now().toString(36)}-${++keys}`
}

/** The scenario server's record of one key's traffic. */
export async function stats(key: string): Promise<KeyStats> {
  const response = await fetch(`${serverUrl}/_stats?key=${key}`)
  return await response.json() as KeyStats
}
