import { defineEventSource } from '../../src/index'

export interface Tick { n: number, price: number }

/** One definition, used by every ticker widget: they share one connection (and one across tabs). */
export const useTicker = defineEventSource<Tick>('/sse/shared', { parse: 'json', shareAcrossTabs: true })
