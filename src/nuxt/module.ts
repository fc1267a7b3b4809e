import { addImports, defineNuxtModule, hasNuxtModule, useLogger } from '@nuxt/kit'
import { EventSourceOptionError } from '../core/index'
import { AUTO_IMPORT_PRIORITY, AUTO_IMPORTS, PREFIX, prefixed } from './autoImports'

/** Options of the Nuxt module, under `eventSource` in `nuxt.config`. */
export interface ModuleOptions {
  /** Auto-import `useEventSource`, `useSharedEventSource` and `defineEventSource` in the app's code. @default true */
  autoImports?: boolean
  /**
   * Put after `use`/`define` in each auto-imported name: `'Sse'` gives `useSseEventSource`,
   * `useSseSharedEventSource` and `defineSseEventSource`. A capitalised identifier, or '' for the plain names. @default ''
   */
  prefix?: string
}

/**
 * The Nuxt module: `modules: ['vue-event-source/nuxt']`. It adds auto-imports only; the composables
 * already follow Nuxt's rendering rules (nothing connects on the server; a component's stream opens once
 * it is mounted, a plugin's once the app is ready).
 */
export default defineNuxtModule<ModuleOptions>({
  meta: { name: 'vue-event-source', configKey: 'eventSource', compatibility: { nuxt: '>=3.0.0' } },
  defaults: { autoImports: true, prefix: '' },
  setup(options, nuxt) {
    const { autoImports = true, prefix = '' } = options
    if (typeof prefix !== 'string' || !PREFIX.test(prefix))
      throw new EventSourceOptionError('eventSource.prefix', `expected '' or a capitalised identifier such as 'Sse', got ${String(prefix)}`)
    if (!autoImports)
      return
    addImports(AUTO_IMPORTS.map(name => ({ name, as: prefixed(name, prefix), from: 'vue-event-source', priority: AUTO_IMPORT_PRIORITY })))
    if (prefix === '' && hasNuxtModule('@vueuse/nuxt', nuxt))
      useLogger('vue-event-source').info('`useEventSource` auto-imports VueUse\'s here (@vueuse/nuxt is installed); set `eventSource.prefix` (\'Sse\' gives `useSseEventSource`) or import it from \'vue-event-source\'')
  },
})
