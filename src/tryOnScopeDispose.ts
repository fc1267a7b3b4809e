import { getCurrentScope, onScopeDispose } from 'vue'

/**
 * Runs `dispose` when the current effect scope (a component's, or one of `effectScope()`) stops; outside
 * any scope does nothing.
 */
export function tryOnScopeDispose(dispose: () => void): void {
  if (getCurrentScope())
    onScopeDispose(dispose, true)
}
