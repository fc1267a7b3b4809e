export * from './core/index'
export { pageSignals } from './pageSignals'
export type { UseEventSourceOptions, UseEventSourceReturn } from './useEventSource'
export { useEventSource } from './useEventSource'
