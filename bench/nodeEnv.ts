import type { Env } from './env'
import process from 'node:process'
import { mountInTree } from './treeRenderer'

const gc = (globalThis as { gc?: () => void }).gc

/**
 * Node: undici's fetch, components rendered into an in-memory tree, the heap from process.memoryUsage()
 * (the V8 heap plus `external`: ArrayBuffers, and the large strings Node decodes outside the heap).
 */
export const nodeEnv: Env = {
  name: 'node',
  fetch: globalThis.fetch,
  mount: mountInTree,
  gc: () => gc?.(),
  liveHeap: gc === undefined
    ? null
    : () => {
        gc()
        const usage = process.memoryUsage()
        return usage.heapUsed + usage.external
      },
  browserGlobals() {
    const scope = globalThis as Record<string, unknown>
    if ('document' in scope)
      return () => {}
    scope.window = globalThis
    scope.document = { hidden: false, addEventListener() {}, removeEventListener() {} }
    return () => {
      delete scope.window
      delete scope.document
    }
  },
}
