import type { EventSourceClient, EventSourceOptions } from '../../src/core/index'
import type { DevtoolsApi } from '../../src/devtools/inspector'
import type { StreamTracker } from '../../src/devtools/streams'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEventSource } from '../../src/core/index'
import { connectInspector, INSPECTOR_ID, TIMELINE_LAYER_ID } from '../../src/devtools/inspector'
import { DATA_PREVIEW, eventRate, streams, trackStream } from '../../src/devtools/streams'
import { uniqueKey, useTestServer } from '../support/helpers'

// What the integration hands Vue DevTools, for real clients streaming from the test server. The DevTools
// side is a recorder with the plugin API's shape: every call it gets is what the DevTools would get.
// docs/guide/devtools.md ("The inspector", "The timeline") says what they show.
const server = useTestServer()
const TOKEN = 'tok-7f3a9c-never-shown'
const HEADER = 'hdr-b81e-never-shown'

interface Recorder extends DevtoolsApi {
  calls: { method: string, args: unknown[] }[]
  timeline: { title: string, subtitle: string, data: Record<string, unknown>, logType: string }[]
  tree: (filter?: string) => { id: string, label: string, tags: { label: string }[] }[]
  state: (nodeId: string) => Record<string, { key: string, value: unknown }[]>
  actions: { tooltip?: string, action: (nodeId: string) => void }[]
}

function recorder(): Recorder {
  const calls: Recorder['calls'] = []
  const handlers: { tree?: (payload: any) => void, state?: (payload: any) => void } = {}
  const record = (method: string) => (...args: unknown[]): void => {
    calls.push({ method, args })
  }
  const api: Recorder = {
    calls,
    timeline: [],
    actions: [],
    addInspector: (options) => {
      record('addInspector')(options)
      api.actions = options.nodeActions ?? []
    },
    sendInspectorTree: record('sendInspectorTree'),
    sendInspectorState: record('sendInspectorState'),
    addTimelineLayer: record('addTimelineLayer'),
    addTimelineEvent: (options) => {
      record('addTimelineEvent')(options)
      api.timeline.push(options.event as Recorder['timeline'][number])
    },
    now: () => Date.now(),
    on: {
      getInspectorTree: (handler) => {
        handlers.tree = handler
      },
      getInspectorState: (handler) => {
        handlers.state = handler
      },
    },
    tree(filter = '') {
      const payload = { inspectorId: INSPECTOR_ID, filter, rootNodes: [] as never[] }
      handlers.tree!(payload)
      return payload.rootNodes
    },
    state(nodeId) {
      const payload = { inspectorId: INSPECTOR_ID, nodeId, state: {} }
      handlers.state!(payload)
      return payload.state as never
    },
  }
  return api
}

const trackers: StreamTracker[] = []
const stops: (() => void)[] = []
afterEach(() => {
  trackers.splice(0).forEach(t => t.dispose())
  stops.splice(0).forEach(stop => stop())
})

/** A real client with a token and a header, tracked as the composables track theirs. */
function tracked(url: string, options: EventSourceOptions = {}): { client: EventSourceClient, tracker: StreamTracker } {
  const client: EventSourceClient = createEventSource(url, { token: () => TOKEN, headers: { 'X-Api-Key': HEADER }, ...options } as EventSourceOptions & { parse?: 'text' })
  const tracker = trackStream({ kind: 'createEventSource', url: () => url, method: 'GET', key: '', token: true, heartbeatTimeout: 0, connectTimeout: 30_000, client, open: client.open, close: client.close, crossTab: () => 'off' })
  trackers.push(tracker)
  return { client, tracker }
}

describe('the Vue DevTools integration', () => {
  // Promised in README.md (tests/fixtures/promises/).
  it('adds an "Event streams" inspector with close, open and reconnect-now actions, and a timeline layer', () => {
    const api = recorder()
    stops.push(connectInspector(api))
    expect(api.calls.find(c => c.method === 'addInspector')?.args[0]).toMatchObject({ id: INSPECTOR_ID, label: 'Event streams' })
    expect(api.actions.map(a => a.tooltip)).toEqual(['close', 'open', 'reconnect now'])
    expect(api.calls.find(c => c.method === 'addTimelineLayer')?.args[0]).toMatchObject({ id: TIMELINE_LAYER_ID, label: 'Event streams' })
  })

  it('sends connect, open and each event (type, id, size, data cut short) to the timeline, and one node per stream', async () => {
    const api = recorder()
    stops.push(connectInspector(api))
    const key = uniqueKey()
    const long = server.current.route('events', { key, count: 2, hold: true, event: 'tick' })
    const { client, tracker } = tracked(long)
    client.open()
    await vi.waitFor(() => expect(api.timeline.filter(e => e.title === 'tick')).toHaveLength(2))
    expect(api.timeline.map(e => e.title).slice(0, 4)).toEqual(['connect', 'open', 'tick', 'tick'])
    expect(api.timeline[2]!.data).toEqual({ type: 'tick', id: '1', size: 'event 1'.length, data: 'event 1' })
    expect(api.timeline[2]!.subtitle).toBe(`GET ${long}`)
    const [node] = api.tree().filter(n => n.id === tracker.record.id)
    expect(node).toMatchObject({ label: `GET ${long}` })
    expect(node!.tags.map(t => t.label)).toEqual(['OPEN'])
    const state = api.state(tracker.record.id)
    expect(Object.keys(state)).toEqual(['state', 'request', 'subscribers', 'traffic'])
    expect(state.traffic).toEqual([expect.objectContaining({ key: 'events received', value: 2 }), expect.objectContaining({ key: 'events per second' })])
    expect(state.state!.find(f => f.key === 'lastEventId')?.value).toBe('2')
    expect(state.state!.find(f => f.key === 'readyState')?.value).toBe('1 (OPEN)')
    client.close()
    await vi.waitFor(() => expect(api.timeline.at(-1)).toMatchObject({ title: 'close', data: { reason: 'closed' } }))
  })

  it('sends an error with its type and status, then a scheduled reconnect with its delay and reason', async () => {
    const api = recorder()
    stops.push(connectInspector(api))
    const { client, tracker } = tracked(server.current.route('status', { key: uniqueKey(), code: 503 }), { reconnect: { delay: 5000, jitter: 0 } })
    client.open()
    await vi.waitFor(() => expect(api.timeline.some(e => e.title.startsWith('reconnect'))).toBe(true))
    const error = api.timeline.find(e => e.title === 'error: http-status')!
    expect(error).toMatchObject({ logType: 'error', data: { type: 'http-status', status: 503 } })
    expect(api.timeline.find(e => e.title.startsWith('reconnect'))).toMatchObject({ title: 'reconnect in 5000 ms', logType: 'warning', data: { delay: 5000, reason: 'http-status' } })
    expect(tracker.record.lastError).toMatchObject({ type: 'http-status', status: 503 })
    const fields = api.state(tracker.record.id).state!
    // a delay long enough that the state still waits when it is read
    expect(fields.find(f => f.key === 'retryDelay')?.value).toBe(5000)
    expect(String(fields.find(f => f.key === 'retryAt')?.value)).toMatch(/ms\)$/)
    client.close()
  })

  it('the node actions close, open and reconnect the stream now', async () => {
    const api = recorder()
    stops.push(connectInspector(api))
    const { client, tracker } = tracked(server.current.route('events', { key: uniqueKey(), count: 1, hold: true }))
    const [close, open, reconnect] = api.actions
    open!.action(tracker.record.id)
    await vi.waitFor(() => expect(client.state.readyState).toBe(1))
    close!.action(tracker.record.id)
    expect(client.state.readyState).toBe(2)
    reconnect!.action(tracker.record.id)
    await vi.waitFor(() => expect(client.state.readyState).toBe(1))
    client.close()
  })

  it('reconnect now, while a reconnection waits, connects at once with the attempt count reset', async () => {
    const api = recorder()
    stops.push(connectInspector(api))
    const key = uniqueKey()
    const { client, tracker } = tracked(server.current.route('status', { key, code: 503 }), { reconnect: { delay: 5000, jitter: 0 } })
    client.open()
    await vi.waitFor(() => expect(client.state).toMatchObject({ attempt: 1, retryDelay: 5000 }))
    const reconnect = api.actions.find(a => a.tooltip === 'reconnect now')!
    reconnect.action(tracker.record.id)
    expect(client.state).toMatchObject({ readyState: 0, attempt: 0, retryDelay: null })
    // long before the 5 s it was due, and counted from the first attempt again: 5 s, not 10 s, after it fails
    await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2))
    await vi.waitFor(() => expect(client.state).toMatchObject({ attempt: 1, retryDelay: 5000 }))
    client.close()
  })

  it('a stream the server ends schedules a reconnect whose reason is the end of the stream', async () => {
    const api = recorder()
    stops.push(connectInspector(api))
    const { client, tracker } = tracked(server.current.route('events', { key: uniqueKey(), count: 1 }), { reconnect: { delay: 5000, jitter: 0 } })
    client.open()
    await vi.waitFor(() => expect(api.timeline.some(e => e.title.startsWith('reconnect'))).toBe(true))
    expect(api.timeline.map(e => e.title)).toEqual(['connect', 'open', 'message', 'reconnect in 5000 ms'])
    // the stream's entries are one group
    expect(api.calls.filter(c => c.method === 'addTimelineEvent').map(c => (c.args[0] as { event: { groupId: string } }).event.groupId)).toEqual(Array.from({ length: 4 }, () => tracker.record.id))
    expect(api.timeline.at(-1)!.data).toEqual({ delay: 5000, reason: 'the stream ended' })
    expect(api.timeline[0]!.data).toMatchObject({ attempt: 0 })
    client.close()
  })

  it('counts events per second over the last 5 s', async () => {
    const api = recorder()
    stops.push(connectInspector(api))
    const { client, tracker } = tracked(server.current.route('events', { key: uniqueKey(), count: 3, hold: true }))
    client.open()
    await vi.waitFor(() => expect(tracker.record.events).toBe(3))
    const last = Math.max(...tracker.record.recent)
    // three events within the last 5 s are 0.6 a second; 5 s after the last one, none is left in the window
    expect(eventRate(tracker.record, last)).toBe(0.6)
    expect(eventRate(tracker.record, Math.min(...tracker.record.recent) + 5000)).toBe(0.6)
    expect(eventRate(tracker.record, last + 5001)).toBe(0)
    expect(api.state(tracker.record.id).traffic!.map(f => f.key)).toEqual(['events received', 'events per second'])
    client.close()
  })

  it('never sends a token\'s or a header\'s value, in any call, tree or state', async () => {
    const api = recorder()
    stops.push(connectInspector(api))
    const { client, tracker } = tracked(server.current.route('authed', { key: uniqueKey() }))
    client.open()
    await vi.waitFor(() => expect(api.timeline.some(e => e.title.startsWith('error') || e.title === 'open')).toBe(true))
    const everything = JSON.stringify([api.calls, api.tree(), api.state(tracker.record.id)])
    expect(everything).not.toContain(TOKEN)
    expect(everything).not.toContain(HEADER)
    expect(api.state(tracker.record.id).request!.find(f => f.key === 'token')?.value).toBe('set (value not shown)')
    client.close()
  })

  it('a hand-over between tabs is a timeline entry, and the role a tag of the node', () => {
    const api = recorder()
    stops.push(connectInspector(api))
    const client = createEventSource('http://127.0.0.1/none')
    let role = 'follower'
    const tracker = trackStream({ kind: 'useSharedEventSource', url: () => 'http://127.0.0.1/none', method: 'GET', key: 'GET http://127.0.0.1/none', token: false, heartbeatTimeout: 0, connectTimeout: 0, client, open: client.open, close: client.close, crossTab: () => role })
    trackers.push(tracker)
    role = 'leader'
    tracker.handover('follower', 'leader')
    expect(api.timeline.at(-1)).toMatchObject({ title: 'cross-tab: follower → leader', data: { from: 'follower', to: 'leader' } })
    expect(api.tree().find(n => n.id === tracker.record.id)!.tags.map(t => t.label)).toEqual(['CLOSED', '0 subs', 'leader'])
  })

  it('cuts event data in the timeline to a preview, and forgets a stream once disposed', async () => {
    const api = recorder()
    stops.push(connectInspector(api))
    const big = 'x'.repeat(DATA_PREVIEW * 3)
    const fetch = async (): Promise<Response> => new Response(`data: ${big}\n\n`, { headers: { 'content-type': 'text/event-stream' } })
    const client = createEventSource('http://127.0.0.1/big', { fetch, reconnect: false })
    const tracker = trackStream({ kind: 'createEventSource', url: () => 'http://127.0.0.1/big', method: 'GET', key: '', token: false, heartbeatTimeout: 0, connectTimeout: 0, client, open: client.open, close: client.close, crossTab: () => 'off' })
    client.open()
    await vi.waitFor(() => expect(api.timeline.some(e => e.title === 'message')).toBe(true))
    const event = api.timeline.find(e => e.title === 'message')!
    expect(event.data).toMatchObject({ size: big.length })
    expect(event.data.data).toHaveLength(DATA_PREVIEW)
    expect(DATA_PREVIEW).toBe(120)
    expect(streams()).toContain(tracker.record)
    tracker.dispose()
    expect(streams()).not.toContain(tracker.record)
  })
})
