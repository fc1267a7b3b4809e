// `vue-event-source/vueuse`: VueUse's useEventSource signature, on our drop-in EventSource.
export type { UseEventSourceOptions, UseEventSourceReturn, VueUseReconnectOptions } from './useEventSource'
export { useEventSource } from './useEventSource'
