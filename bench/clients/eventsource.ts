import { EventSource } from 'eventsource'
import { eventSourceClient } from './eventSourceShaped'

/** The `eventsource` package's `EventSource` (5.x, on eventsource-parser), reading through the given fetch. */
export const eventsourcePackage = eventSourceClient({
  id: 'eventsource',
  label: 'eventsource 5 `EventSource`',
  runsIn: ['chromium', 'node'],
  takesFetch: true,
  open: ({ url, fetch }) => new EventSource(url, { fetch }),
})
