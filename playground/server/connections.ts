import type { ServerResponse } from 'node:http'

const open = new Map<string, number>()
const total = new Map<string, number>()

/** Counts a streaming response of `endpoint` as open until it ends or its client goes away. */
export function track(endpoint: string, res: ServerResponse): void {
  open.set(endpoint, (open.get(endpoint) ?? 0) + 1)
  total.set(endpoint, (total.get(endpoint) ?? 0) + 1)
  res.once('close', () => open.set(endpoint, (open.get(endpoint) ?? 1) - 1))
}

/** Live and total connection counts per endpoint. */
export function connectionCounts(): Record<string, { open: number, total: number }> {
  return Object.fromEntries(Array.from(total.keys(), name => [name, { open: open.get(name) ?? 0, total: total.get(name) ?? 0 }]))
}
