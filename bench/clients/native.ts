import { eventSourceClient } from './eventSourceShaped'

/** The browser's own `EventSource`. */
export const native = eventSourceClient({
  id: 'native',
  label: 'native `EventSource`',
  runsIn: ['chromium'],
  takesFetch: false,
  open: ({ url }) => new EventSource(url),
})
