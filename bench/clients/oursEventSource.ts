import { DEFAULT_MAX_EVENT_SIZE } from '../../src/core/options'
import { EventSource } from '../../src/eventsource/index'
import { eventSourceClient } from './eventSourceShaped'

/**
 * Our drop-in `EventSource` (vue-event-source/eventsource), as an app swaps it in for the browser's,
 * given the run's fetch and, as our other clients are, no reconnection: a bench stream ends after its
 * last event, and the core would reconnect while earlier events still wait for their tasks. The WHATWG
 * interface has no `maxEventSize`, so it keeps the core's default and sits out a bigger event.
 */
export const oursEventSource = eventSourceClient({
  id: 'ours-eventsource',
  label: 'ours: drop-in `EventSource`',
  runsIn: ['chromium', 'node'],
  takesFetch: true,
  maxEventSize: DEFAULT_MAX_EVENT_SIZE,
  ours: true,
  open: ({ url, fetch }) => new EventSource(url, { fetch, reconnect: false }),
  // Its error events carry the typed error.
  failure: event => (event as { error?: unknown }).error,
})
