import type { BenchClient } from './types'
import { core } from './core'
import { eventsourceParser } from './eventsourceParser'
import { fetchEventSourceClient } from './fetchEventSource'
import { floor } from './floor'
import { native } from './native'
import { raw } from './raw'
import { vueRefs, vueRender } from './vue'
import { vueuse, vueuseRender } from './vueuse'

/** Every client, in table column order; the raw read comes first, the limit the others are divided by. */
export const clients: readonly BenchClient[] = [raw, core, vueRefs, vueRender, native, vueuse, vueuseRender, fetchEventSourceClient, eventsourceParser, floor]

/** The clients of the linearity table and the memory table (the ones whose fetch can be wrapped). */
export const oneEventClients: readonly BenchClient[] = [raw, core, vueRefs, fetchEventSourceClient, eventsourceParser, floor]
export const memoryClients: readonly BenchClient[] = [raw, core, fetchEventSourceClient, eventsourceParser]
