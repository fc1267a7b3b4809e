import type { BenchClient } from './types'
import { core } from './core'
import { eventsourcePackage } from './eventsource'
import { eventsourceParser } from './eventsourceParser'
import { eventSourcePolyfill } from './eventSourcePolyfill'
import { fetchEventSourceClient } from './fetchEventSource'
import { floor } from './floor'
import { native } from './native'
import { oursEventSource } from './oursEventSource'
import { oursFetchEventSource } from './oursFetchEventSource'
import { raw } from './raw'
import { vueRefs, vueRender } from './vue'
import { vueuse, vueuse15, vueuseRender } from './vueuse'

/**
 * Every client, in table column order: the raw read first (the limit the others are divided by), then
 * ours, then the others, the floor last.
 */
export const clients: readonly BenchClient[] = [
  raw,
  core,
  vueRefs,
  vueRender,
  oursEventSource,
  oursFetchEventSource,
  native,
  eventSourcePolyfill,
  eventsourcePackage,
  vueuse,
  vueuseRender,
  vueuse15,
  fetchEventSourceClient,
  eventsourceParser,
  floor,
]

/**
 * The clients of the linearity table and of the memory table: the ones whose fetch can be wrapped and
 * that can be given the `maxEventSize` of these events (our drop-ins cannot: they would sit out all but
 * the smallest size).
 */
export const oneEventClients: readonly BenchClient[] = [raw, core, vueRefs, eventsourcePackage, fetchEventSourceClient, eventsourceParser, floor]
export const memoryClients: readonly BenchClient[] = [raw, core, vueRefs, eventsourcePackage, fetchEventSourceClient, eventsourceParser]
