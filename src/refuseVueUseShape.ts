import { EventSourceOptionError } from './core/index'

// VueUse's options and, for the development message, what does their work here.
const VUEUSE_OPTIONS = ['autoReconnect', 'autoConnect', 'serializer'] as const
const INSTEAD = ['`reconnect`', 'nothing (a new reactive URL reconnects by itself)', '`parse`']
const ENTRY = 'or import useEventSource from \'vue-event-source/vueuse\', which takes VueUse\'s signature'

/** A VueUse-shaped call (an array of event names, VueUse's options) throws instead of being half obeyed. */
export function refuseVueUseShape(options: unknown): void {
  if (Array.isArray(options))
    throw new EventSourceOptionError('options', __DEV__ ? `an array of event names is VueUse's second argument: pass { events: [...] }, ${ENTRY}` : '')
  if (typeof options !== 'object' || options === null)
    return
  VUEUSE_OPTIONS.forEach((name, i) => {
    if (name in options)
      throw new EventSourceOptionError(name, __DEV__ ? `is VueUse's option: use ${INSTEAD[i]}, ${ENTRY}` : '')
  })
}
