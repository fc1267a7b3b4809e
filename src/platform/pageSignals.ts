import type { PageSignals } from '../core/index'

interface SignalTarget {
  addEventListener: (type: string, listener: () => void) => void
  removeEventListener: (type: string, listener: () => void) => void
}

/**
 * Page visibility and network state from the browser: `document.visibilityState` with its
 * `visibilitychange` event, and `navigator.onLine` with `online`/`offline`; and, to replace a connection
 * that may have died unreported, `pageshow` with `persisted` (a back/forward-cache restore) and `resume`
 * (after a freeze). In a worker only the network
 * part applies; in Node or during server-side rendering the page counts as visible and online.
 */
export function pageSignals(): PageSignals {
  const scope = globalThis as unknown as Partial<SignalTarget> & {
    document?: SignalTarget & { visibilityState?: string }
    navigator?: { onLine?: boolean }
  }
  const doc = scope.document
  const canListen = typeof scope.addEventListener === 'function'
  return {
    hidden: () => doc?.visibilityState === 'hidden',
    online: () => scope.navigator?.onLine !== false,
    subscribe(listener) {
      doc?.addEventListener('visibilitychange', listener)
      if (canListen) {
        scope.addEventListener!('online', listener)
        scope.addEventListener!('offline', listener)
      }
      return () => {
        doc?.removeEventListener('visibilitychange', listener)
        if (canListen) {
          scope.removeEventListener!('online', listener)
          scope.removeEventListener!('offline', listener)
        }
      }
    },
    subscribeRevive(listener) {
      if (!canListen || doc === undefined)
        return () => {}
      const onPageShow = (event: { persisted?: boolean }): void => {
        if (event.persisted === true)
          listener('pageshow')
      }
      const onResume = (): void => listener('resume')
      scope.addEventListener!('pageshow', onPageShow as () => void)
      doc.addEventListener('resume', onResume)
      return () => {
        scope.removeEventListener!('pageshow', onPageShow as () => void)
        doc.removeEventListener('resume', onResume)
      }
    },
  }
}
