import { EventSourceOptionError } from './core/index'

// VueUse's options and what does their work here.
const VUEUSE_OPTIONS: Record<string, string> = {
  autoReconnect: '`reconnect`',
  autoConnect: 'nothing (a new reactive URL reconnects by itself)',
  serializer: '`parse`',
}
const ENTRY = 'or import useEventSource from \'vue-event-source/vueuse\', which takes VueUse\'s signature'

/** A VueUse-shaped call (an array of event names, VueUse's options) throws instead of being half obeyed. */
export function refuseVueUseShape(options: unknown): void {
  if (Array.isArray(options))
    throw new EventSourceOptionError('options', `an array of event names is VueUse's second argument: pass { events: [...] }, ${ENTRY}`)
  if (typeof options !== 'object' || options === null)
    return
  for (const name of Object.keys(VUEUSE_OPTIONS)) {
    if (name in options)
      throw new EventSourceOptionError(name, `is VueUse's option: use ${VUEUSE_OPTIONS[name]}, ${ENTRY}`)
  }
}
