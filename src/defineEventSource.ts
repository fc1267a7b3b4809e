import type { MaybeRefOrGetter } from 'vue'
import type { EventMap, InferOutput, ParsedData, ParsedEvents, ParsedMessage, ParseFunction, ParserMap, StandardSchemaV1, TextEvents } from './core/index'
import type { UseSharedEventSourceOptions, UseSharedEventSourceReturn } from './useSharedEventSource'
import { useSharedClientRefs } from './useSharedEventSource'

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
export function defineEventSource<Data extends string = string, Events extends TextEvents<Events> = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options?: UseSharedEventSourceOptions<Data> & { parse?: 'text' },
): (subscriber?: SubscriberOptions<Data>) => UseSharedEventSourceReturn<Data, Events>
/** With a Standard Schema (Zod, Valibot, ArkType, …), `data` is the schema's output: each event's data is read as JSON and validated. */
export function defineEventSource<Schema extends StandardSchemaV1, Events extends EventMap = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: Omit<UseSharedEventSourceOptions<InferOutput<Schema>>, 'parse'> & { parse: Schema },
): (subscriber?: SubscriberOptions<InferOutput<Schema>>) => UseSharedEventSourceReturn<InferOutput<Schema>, Events>
/** With `parse: 'json'`, `data` is what you declare (`unknown` if you do not); with a function, what it returns. */
export function defineEventSource<Data = unknown, Events extends EventMap = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<Data> & { parse: 'json' | ParseFunction<Data> },
): (subscriber?: SubscriberOptions<Data>) => UseSharedEventSourceReturn<Data, Events>
/** With an object of parsers by event type, each type's `data` is its parser's return type; the others stay text. */
export function defineEventSource<Parsers extends ParserMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<ParsedData<Parsers>> & { parse: Parsers },
): (subscriber?: SubscriberOptions<ParsedData<Parsers>>) => UseSharedEventSourceReturn<ParsedMessage<Parsers>, ParsedEvents<Parsers>>
export function defineEventSource<Data, Events extends EventMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseSharedEventSourceOptions<Data> = {},
): (subscriber?: SubscriberOptions<Data>) => UseSharedEventSourceReturn<Data, Events> {
  return (subscriber = {}) => useSharedClientRefs<Data, Events>(url, { ...options, ...subscriber })
}
