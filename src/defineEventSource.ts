import type { MaybeRefOrGetter } from 'vue'
import type { EventMap } from './core/index'
import type { UseSharedEventSourceOptions, UseSharedEventSourceReturn } from './useSharedEventSource'
import { useSharedEventSource } from './useSharedEventSource'

/** What each component may set for itself when it uses a defined stream. */
export type SubscriberOptions<Data> = Pick<UseSharedEventSourceOptions<Data>, 'immediate' | 'events' | 'flush' | 'onMessage' | 'onError'>

/**
 * Defines a shared stream once, at module level, in the spirit of Pinia's `defineStore`; the returned
 * composable is called in as many components as need it, and all of them share one connection.
 *
 * @example
 * export const useNotices = defineEventSource<Notice>('/api/notices', { parse: 'json', token: () => auth.token })
 * // in any component:
 * const { data, on } = useNotices()
 */
export function defineEventSource<Data = string, Events extends EventMap = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<Data> = {},
): (subscriber?: SubscriberOptions<Data>) => UseSharedEventSourceReturn<Data, Events> {
  return (subscriber = {}) => useSharedEventSource<Data, Events>(url, { ...options, ...subscriber })
}
