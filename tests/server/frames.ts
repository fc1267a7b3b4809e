import type { ServerResponse } from 'node:http'

/** The fields of one event as the test server writes them; absent fields are not written. */
export interface TestEvent {
  id?: string | number
  event?: string
  /** Split on `\n` into one `data:` line per line. */
  data?: string
}

/** One event block, ended by its blank line. Written here, apart from the playground's server, so tests never depend on it. */
export function frame(event: TestEvent): string {
  const lines: string[] = []
  if (event.id !== undefined)
    lines.push(`id: ${event.id}`)
  if (event.event !== undefined)
    lines.push(`event: ${event.event}`)
  if (event.data !== undefined)
    lines.push(...event.data.split('\n').map(line => `data: ${line}`))
  return `${lines.join('\n')}\n\n`
}

/** Sends the headers of an event stream at once, so the client opens before the first event. */
export function startStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
  res.flushHeaders()
}
