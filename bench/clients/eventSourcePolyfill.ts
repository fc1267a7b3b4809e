import type { EventSourceLike } from './eventSourceShaped'
import { EventSourcePolyfill } from 'event-source-polyfill'
import { eventSourceClient } from './eventSourceShaped'

/**
 * event-source-polyfill's `EventSourcePolyfill`. In a browser with fetch streams it reads with the
 * `fetch` it found when it was loaded (else XHR) and cannot be given another, so it sits out the
 * workload read in pieces, as the browser's `EventSource` does.
 */
export const eventSourcePolyfill = eventSourceClient({
  id: 'event-source-polyfill',
  label: 'event-source-polyfill 1.0 `EventSourcePolyfill`',
  runsIn: ['chromium'],
  takesFetch: false,
  open: ({ url }) => new EventSourcePolyfill(url) as unknown as EventSourceLike,
})
