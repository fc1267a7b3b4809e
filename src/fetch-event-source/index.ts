// `vue-event-source/fetch-event-source`: @microsoft/fetch-event-source's function, on our core.
export type { EventSourceMessage, FetchEventSourceInit } from './fetchEventSource'
export { EventStreamContentType, fetchEventSource } from './fetchEventSource'
