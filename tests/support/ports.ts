import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'

/**
 * A port on 127.0.0.1 that was free a moment ago: something listened on it and closed, so a server can
 * take it, and until one does a connection to it is refused.
 */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise(resolve => probe.close(resolve))
  return port
}
