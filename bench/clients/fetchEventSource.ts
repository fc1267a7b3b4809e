import { fetchEventSource } from '@microsoft/fetch-event-source'
import { fetchEventSourceClient as shaped } from './fetchEventSourceShaped'

/** @microsoft/fetch-event-source's `fetchEventSource`. */
export const fetchEventSourceClient = shaped({
  id: 'fetch-event-source',
  label: '@microsoft/fetch-event-source 2 `fetchEventSource`',
  runsIn: ['chromium', 'node'],
  fetchEventSource,
  browserGlobals: true,
})
