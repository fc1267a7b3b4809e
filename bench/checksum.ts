/**
 * The order-sensitive checksum every client folds its events into. It reads each event's length and
 * last 8 characters (where every workload puts the event's sequence number), so it costs the same small
 * constant per event in every client and detects a lost, repeated, reordered or truncated event.
 */
export const SEED = 0x811C9DC5
const PRIME = 0x01000193
const TAIL = 8

export function fold(hash: number, data: string): number {
  const length = data.length
  let h = Math.imul(hash ^ length, PRIME)
  for (let i = length > TAIL ? length - TAIL : 0; i < length; i++)
    h = Math.imul(h ^ data.charCodeAt(i), PRIME)
  return h
}
