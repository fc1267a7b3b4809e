export * from './core/index'
export type { UseEventSourceOptions, UseEventSourceReturn } from './useEventSource'
export { useEventSource } from './useEventSource'
