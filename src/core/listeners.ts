/**
 * Functions registered per key. Each key's list is replaced, never mutated, on change, so a dispatch
 * walks a stable snapshot: a listener added during dispatch waits for the next one, as on EventTarget.
 */
export class Listeners<Fn> {
  private lists = new Map<string, readonly Fn[]>()
  /** Changes whenever a list does, so a caller may keep the list it looked up until then. */
  version = 0

  add(key: string, fn: Fn): () => void {
    this.version++
    this.lists.set(key, [...(this.lists.get(key) ?? []), fn])
    let added = true
    return () => {
      if (!added)
        return
      added = false
      this.version++
      const list = this.lists.get(key)
      if (list === undefined)
        return
      const index = list.indexOf(fn)
      const rest = list.filter((_, i) => i !== index)
      if (rest.length === 0)
        this.lists.delete(key)
      else
        this.lists.set(key, rest)
    }
  }

  get(key: string): readonly Fn[] | undefined {
    return this.lists.get(key)
  }
}
