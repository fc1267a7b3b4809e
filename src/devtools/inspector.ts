import type { StreamActivity, StreamRecord } from './streams'
import { STATUS_NAMES } from '../core/internal'
import { eventRate, onStreamActivity, streams } from './streams'

/** The part of Vue DevTools' plugin API (the v6-style one `@vue/devtools-api` 7 and 8 keep) this uses. */
export interface DevtoolsApi {
  addInspector: (options: {
    id: string
    label: string
    icon?: string
    treeFilterPlaceholder?: string
    noSelectionText?: string
    nodeActions?: { icon: string, tooltip?: string, action: (nodeId: string) => void }[]
  }) => void
  sendInspectorTree: (inspectorId: string) => void
  sendInspectorState: (inspectorId: string) => void
  addTimelineLayer: (options: { id: string, label: string, color: number }) => void
  addTimelineEvent: (options: { layerId: string, event: { time: number, title?: string, subtitle?: string, data: Record<string, unknown>, groupId?: string, logType?: 'default' | 'warning' | 'error' } }) => void
  now: () => number
  on: {
    getInspectorTree: (handler: (payload: { inspectorId: string, filter: string, rootNodes: unknown[] }) => void) => void
    getInspectorState: (handler: (payload: { inspectorId: string, nodeId: string, state: unknown }) => void) => void
  }
}

export const INSPECTOR_ID = 'vue-event-source'
export const TIMELINE_LAYER_ID = 'vue-event-source'
const REFRESH_EVERY = 500
const TAG_COLOURS = { CONNECTING: 0xF59E0B, OPEN: 0x22C55E, CLOSED: 0x9CA3AF } as const

/** One node of the inspector's tree: the URL, with tags for its state, kind and subscribers. */
interface Tag { label: string, textColor: number, backgroundColor: number, tooltip?: string }

function node(record: StreamRecord): { id: string, label: string, tags: Tag[] } {
  const status = STATUS_NAMES[record.client.state.readyState]
  const tags: Tag[] = [{ label: status, textColor: 0xFFFFFF, backgroundColor: TAG_COLOURS[status] }]
  if (record.key !== '')
    tags.push({ label: `${record.subscribers.length} sub${record.subscribers.length === 1 ? '' : 's'}`, textColor: 0xFFFFFF, backgroundColor: 0x6366F1, tooltip: 'subscribers sharing this connection' })
  const role = record.crossTab()
  if (role !== 'off')
    tags.push({ label: role, textColor: 0xFFFFFF, backgroundColor: 0x0EA5E9, tooltip: 'this tab\'s part in the cross-tab connection' })
  return { id: record.id, label: `${record.method} ${record.url}`, tags }
}

const field = (key: string, value: unknown): { key: string, value: unknown, editable: false } => ({ key, value, editable: false })

/** The inspector's state panel for one stream: never a token's or a header's value. */
export function inspectorState(record: StreamRecord, now = Date.now()): Record<string, { key: string, value: unknown, editable: false }[]> {
  const { state } = record.client
  return {
    state: [
      field('readyState', `${state.readyState} (${STATUS_NAMES[state.readyState]})`),
      field('attempt', state.attempt),
      field('retryDelay', state.retryDelay),
      field('retryAt', state.retryAt === null ? null : `${new Date(state.retryAt).toISOString()} (in ${Math.max(0, state.retryAt - now)} ms)`),
      field('lastEventId', state.lastEventId),
      field('lastError', record.lastError),
    ],
    request: [
      field('kind', record.kind),
      field('url', record.url),
      field('method', record.method),
      ...(record.key === '' ? [] : [field('key', record.key)]),
      field('token', record.token ? 'set (value not shown)' : 'none'),
      field('heartbeatTimeout', record.heartbeatTimeout),
      field('connectTimeout', record.connectTimeout),
    ],
    subscribers: [
      field('count', record.subscribers.length),
      field('components', [...record.subscribers]),
      field('crossTab', record.crossTab()),
    ],
    traffic: [
      field('events received', record.events),
      field('events per second', eventRate(record, now)),
    ],
  }
}

/** A timeline entry for an activity, or null for those the timeline does not show. */
export function timelineEvent(activity: StreamActivity, time: number): { time: number, title: string, subtitle: string, data: Record<string, unknown>, groupId: string, logType: 'default' | 'warning' | 'error' } | null {
  const { record } = activity
  const base = { time, subtitle: `${record.method} ${record.url}`, groupId: record.id, logType: 'default' as const }
  switch (activity.kind) {
    case 'connect':
      return { ...base, title: 'connect', data: { url: record.url, attempt: activity.attempt } }
    case 'open':
      return { ...base, title: 'open', data: { url: record.url } }
    case 'event':
      return { ...base, title: activity.type, data: { type: activity.type, id: activity.id, size: activity.size, data: activity.data } }
    case 'error':
      return { ...base, title: `error: ${activity.type}`, logType: 'error', data: { type: activity.type, ...(activity.status === undefined ? {} : { status: activity.status }), message: activity.message } }
    case 'reconnect':
      return { ...base, title: `reconnect in ${Math.round(activity.delay)} ms`, logType: 'warning', data: { delay: Math.round(activity.delay), reason: activity.reason } }
    case 'close':
      return { ...base, title: 'close', data: { reason: activity.reason } }
    case 'handover':
      return { ...base, title: `cross-tab: ${activity.from} → ${activity.to}`, data: { from: activity.from, to: activity.to } }
    default:
      return null
  }
}

/**
 * Shows the page's streams in Vue DevTools: an "Event streams" inspector (one node per stream, its state,
 * request, subscribers and traffic; close, open and reconnect now) and a timeline layer. Returns a
 * function that stops following the streams.
 */
export function connectInspector(api: DevtoolsApi): () => void {
  const find = (id: string): StreamRecord | undefined => streams().find(record => record.id === id)
  api.addInspector({
    id: INSPECTOR_ID,
    label: 'Event streams',
    icon: 'stream',
    treeFilterPlaceholder: 'Filter by URL',
    noSelectionText: 'Select a stream',
    nodeActions: [
      { icon: 'stop', tooltip: 'close', action: id => find(id)?.close() },
      { icon: 'play_arrow', tooltip: 'open', action: id => find(id)?.open() },
      { icon: 'refresh', tooltip: 'reconnect now', action: id => find(id)?.open() },
    ],
  })
  api.addTimelineLayer({ id: TIMELINE_LAYER_ID, label: 'Event streams', color: 0x42B883 })
  api.on.getInspectorTree((payload) => {
    if (payload.inspectorId !== INSPECTOR_ID)
      return
    const filter = payload.filter.toLowerCase()
    payload.rootNodes = streams().filter(record => record.url.toLowerCase().includes(filter)).map(node)
  })
  api.on.getInspectorState((payload) => {
    if (payload.inspectorId !== INSPECTOR_ID)
      return
    const record = find(payload.nodeId)
    if (record !== undefined)
      payload.state = inspectorState(record)
  })
  // State changes refresh the inspector at once; events, which may come by the thousand, at most every
  // REFRESH_EVERY ms, so that a busy stream's counters move without flooding the DevTools.
  let refreshedAt = 0
  return onStreamActivity((activity) => {
    const entry = timelineEvent(activity, api.now())
    if (entry !== null)
      api.addTimelineEvent({ layerId: TIMELINE_LAYER_ID, event: entry })
    const now = Date.now()
    if (activity.kind !== 'event' || now - refreshedAt >= REFRESH_EVERY) {
      refreshedAt = now
      api.sendInspectorTree(INSPECTOR_ID)
      api.sendInspectorState(INSPECTOR_ID)
    }
  })
}
