import { DEFAULT_MAX_EVENT_SIZE } from '../../src/core/options'
import { fetchEventSource } from '../../src/fetch-event-source/index'
import { fetchEventSourceClient } from './fetchEventSourceShaped'

/**
 * Our drop-in `fetchEventSource` (vue-event-source/fetch-event-source), called as the
 * @microsoft/fetch-event-source client is. Its options have no `maxEventSize`, so it keeps the core's
 * default and sits out a bigger event.
 */
export const oursFetchEventSource = fetchEventSourceClient({
  id: 'ours-fetch-event-source',
  label: 'ours: drop-in `fetchEventSource`',
  runsIn: ['chromium', 'node'],
  maxEventSize: DEFAULT_MAX_EVENT_SIZE,
  ours: true,
  fetchEventSource,
  browserGlobals: false,
})
