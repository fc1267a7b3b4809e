import { useEventSource } from 'vue-event-source'

// A plugin that opens a stream for the whole app, as seed code does: it runs on the server too.
export default defineNuxtPlugin(() => {
  const base = useRuntimeConfig().public.sseBase as string
  const stream = useEventSource(`${base}/forever?key=nuxt-plugin&interval=200`)
  return { provide: { stream } }
})
