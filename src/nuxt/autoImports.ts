/** The composables the module auto-imports, by their exported names. */
export const AUTO_IMPORTS = ['useEventSource', 'useSharedEventSource', 'defineEventSource'] as const

/**
 * unimport keeps the highest priority of two imports with one name. @vueuse/nuxt registers its functions at
 * -1, so ours, one lower, never take `useEventSource` from VueUse: apps that have both keep VueUse's, whose
 * call shape differs, and reach ours with a prefix or an explicit import.
 */
export const AUTO_IMPORT_PRIORITY = -2

/** What `prefix` accepts: nothing, or an identifier that starts with a capital. */
export const PREFIX = /^(?:[A-Z][\w$]*)?$/

const VERB = /^[a-z]+/

/** An export's auto-imported name: `prefixed('useEventSource', 'Sse')` is `useSseEventSource`. */
export function prefixed(name: string, prefix: string): string {
  const verb = VERB.exec(name)![0]
  return `${verb}${prefix}${name.slice(verb.length)}`
}
