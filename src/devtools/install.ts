import type { App } from 'vue'
import type { DevtoolsApi } from './inspector'
import { setupDevtoolsPlugin } from '@vue/devtools-api'
import { connectInspector } from './inspector'

/** Adds the "Event streams" inspector and timeline layer to Vue DevTools for `app`. */
export function installDevtools(app: App): void {
  setupDevtoolsPlugin({
    id: 'vue-event-source',
    label: 'vue-event-source',
    packageName: 'vue-event-source',
    app,
    // Streams connect before the DevTools window opens: buffer what happens meanwhile.
    enableEarlyProxy: true,
  }, api => connectInspector(api as unknown as DevtoolsApi))
}
