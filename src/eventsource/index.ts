// `vue-event-source/eventsource`: the browser's EventSource and event-source-polyfill's, on our core.
export { EventSourceErrorEvent } from './errorEvent'
export type { EventSourceInit } from './EventSource'
export { EventSource } from './EventSource'
export type { EventSourcePolyfillInit } from './EventSourcePolyfill'
export { EventSourcePolyfill } from './EventSourcePolyfill'
