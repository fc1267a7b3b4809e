/** A hold on a shared value; `release()` once when done (later calls do nothing). */
export interface Lease<T> {
  value: T
  /** Whether this acquire created the value (it was neither held nor lingering). */
  created: boolean
  /** Lets go; with `linger: false`, a value this was the last hold on is disposed at once, not after `keepAlive`. */
  release: (linger?: boolean) => void
}

/**
 * Shared values by key, counted by holders. When the last holder releases, the value lingers for
 * `keepAlive` ms and is disposed only if nobody acquires it meanwhile, so a route swap between two pages
 * that share a stream keeps the connection.
 */
export interface SharedRegistry {
  /**
   * Takes a hold on the value under `key`: the one held or lingering there, or else `create()`'s, made now.
   * `dispose(value)` runs once the last holder has released and `keepAlive` ms have passed with no new
   * holder (at once when 0); a key's linger is the longest `keepAlive` any of its holders asked for.
   *
   * @example
   * const lease = registry.acquire('prices', () => createEventSource('/prices'), source => source.close(), 1500)
   * lease.value.open()
   * // later, once per acquire:
   * lease.release()
   */
  acquire: <T>(key: string, create: () => T, dispose: (value: T) => void, keepAlive: number) => Lease<T>
  /** How many holders a key has now (0 while it lingers or once it is gone). */
  holders: (key: string) => number
  /** Keys held or lingering. */
  keys: () => string[]
  /** Disposes every value at once, holders or not. */
  clear: () => void
}

interface Entry {
  value: unknown
  holders: number
  keepAlive: number
  timer: ReturnType<typeof setTimeout> | undefined
  dispose: (value: unknown) => void
}

/** The shared connections of this page (in the browser, one per key); `createSharedRegistry()` makes another, for tests. */
export const sharedRegistry: SharedRegistry = /* @__PURE__ */ createSharedRegistry()

export function createSharedRegistry(): SharedRegistry {
  const entries = new Map<string, Entry>()

  function drop(key: string, entry: Entry): void {
    clearTimeout(entry.timer)
    entries.delete(key)
    entry.dispose(entry.value)
  }

  return {
    acquire<T>(key: string, create: () => T, dispose: (value: T) => void, keepAlive: number): Lease<T> {
      let entry = entries.get(key)
      const created = entry === undefined
      if (entry === undefined) {
        entry = { value: create(), holders: 0, keepAlive, timer: undefined, dispose: dispose as (value: unknown) => void }
        entries.set(key, entry)
      }
      clearTimeout(entry.timer)
      entry.timer = undefined
      entry.holders++
      entry.keepAlive = Math.max(entry.keepAlive, keepAlive)
      const held = entry
      let released = false
      return {
        value: held.value as T,
        created,
        release(linger = true) {
          if (released)
            return
          released = true
          held.holders--
          if (held.holders > 0 || entries.get(key) !== held)
            return
          if (linger && held.keepAlive > 0)
            held.timer = setTimeout(drop, held.keepAlive, key, held)
          else
            drop(key, held)
        },
      }
    },
    holders: key => entries.get(key)?.holders ?? 0,
    keys: () => [...entries.keys()],
    clear() {
      for (const [key, entry] of [...entries])
        drop(key, entry)
    },
  }
}
