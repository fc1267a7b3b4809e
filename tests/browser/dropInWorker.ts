import { EventSource } from '../../src/eventsource/index'
import { fetchEventSource } from '../../src/fetch-event-source/index'

// The drop-in EventSource and fetchEventSource in a Web Worker: posts what the worker lacks, then each
// message as it arrives, then 'done'.
const scope = globalThis as unknown as { postMessage: (data: string) => void, addEventListener: (type: 'message', listener: (event: MessageEvent<{ eventSource: string, fetchEventSource: string }>) => void) => void }
scope.addEventListener('message', async (event) => {
  const here = globalThis as { window?: unknown, document?: unknown }
  scope.postMessage(here.window === undefined && here.document === undefined ? 'no window, no document' : 'window or document present')
  const source = new EventSource(event.data.eventSource)
  await new Promise<void>((resolve) => {
    source.onmessage = (message) => {
      scope.postMessage(`EventSource: ${message.data}`)
      if (message.lastEventId === '2') {
        source.close()
        resolve()
      }
    }
  })
  await fetchEventSource(event.data.fetchEventSource, { onmessage: message => scope.postMessage(`fetchEventSource: ${message.data}`) })
  scope.postMessage('done')
})
