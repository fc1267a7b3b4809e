import { createEventSource } from '../../src/core/index'

const scope = globalThis as unknown as { postMessage: (data: string) => void, addEventListener: (type: 'message', listener: (event: MessageEvent<string>) => void) => void }
scope.addEventListener('message', (event) => {
  const here = globalThis as { window?: unknown, document?: unknown }
  scope.postMessage(here.window === undefined && here.document === undefined ? 'no window, no document' : 'window or document present')
  const client = createEventSource(event.data)
  client.on('message', message => scope.postMessage(message.data))
  client.open()
})
