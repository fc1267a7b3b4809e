import { defineEventSource } from 'vue-event-source'

// A store in the shape users write: a shared stream defined once, used by any component.
let store: ReturnType<typeof defineEventSource> | undefined
export function useTickerStore(): ReturnType<ReturnType<typeof defineEventSource>> {
  const base = useRuntimeConfig().public.sseBase as string
  store ??= defineEventSource(`${base}/forever?key=nuxt-store&interval=200`)
  return store()
}
