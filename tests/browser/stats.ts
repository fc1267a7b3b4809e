import type { KeyStats } from '../server/index'
import { inject } from 'vitest'
import { serverAt } from '../server/route'

export const serverUrl = inject('serverUrl')
export const otherServerUrl = inject('otherServerUrl')
/** The scenario server's routes, as `server.route('events', { count: 9, per: 3 })`; `other` is a second origin. */
export const server = serverAt(serverUrl)
export const otherServer = serverAt(otherServerUrl)
export const limitServer = serverAt(inject('limitServerUrl'))

let keys = 0
/** A key no other test uses, so each test reads only its own traffic from the server. */
export function uniqueKey(): string {
  return `b${Date.now().toString(36)}-${++keys}`
}

/** The scenario server's record of one key's traffic (or another server's). */
export async function stats(key: string, server = serverUrl): Promise<KeyStats> {
  const response = await fetch(`${server}/_stats?key=${key}`)
  return await response.json() as KeyStats
}
