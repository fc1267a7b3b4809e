import type { ComputedRef, MaybeRefOrGetter, ShallowRef } from 'vue'
import type {
  EventData,
  EventHandler,
  EventMap,
  EventSourceError,
  EventSourceOptions,
  EventSourceReadyState,
  EventSourceStatus,
  EventType,
  InferOutput,
  PageSignals,
  ParsedData,
  ParsedEvents,
  ParsedMessage,
  ParseFunction,
  ParserMap,
  RequestBody,
  StandardSchemaV1,
  TextEvents,
  TokenGetter,
} from './core/index'
import type { FlushMode } from './platform/batcher'
import type { Connection, ConnectionSetup } from './useBaseEventSource'
import { toValue, watch } from 'vue'
import { createClient } from './core/internal'
import { followToken } from './credentials'
import { callerName, trackForDevtools } from './devtools/track'
import { pageSignals } from './platform/pageSignals'
import { clientOptions, useBaseEventSource } from './useBaseEventSource'

/** Options of `useEventSource`: the client's options, with reactive inputs. */
export interface UseEventSourceOptions<Data = string> extends Omit<EventSourceOptions<Data>, 'headers' | 'body' | 'token' | 'signals'> {
  /**
   * Bearer token sent as `Authorization: Bearer <token>`, never in the URL. A string, a ref (a change
   * reconnects), or a function, sync or async, called afresh before every attempt and asked for a fresh
   * token once after a 401/403.
   * @default undefined
   */
  token?: MaybeRefOrGetter<string | null | undefined> | TokenGetter
  /** Request headers, read before every attempt; a change reconnects. @default {} */
  headers?: MaybeRefOrGetter<HeadersInit | null | undefined>
  /** Request body, read before every attempt; plain objects and arrays are sent as JSON; a change reconnects. @default undefined */
  body?: MaybeRefOrGetter<RequestBody>
  /** Connect at once (in a component: when it mounts, so never during server-side rendering). @default true */
  immediate?: boolean
  /**
   * On a server (no `document`), whether to connect: by default a call that belongs to an app (a
   * component's setup, `app.runWithContext`, a plugin) or that has no effect scope never connects, and one
   * in a detached `effectScope()` does; `true` or `false` forces either way. Ignored in the browser.
   * @default undefined (decided by the calling context)
   */
  connectOnServer?: boolean
  /** Named event types that also update `data` and `event`, as `message` always does. @default [] */
  events?: readonly string[]
  /** Page visibility and network state. @default pageSignals() (the browser's) */
  signals?: PageSignals
  /**
   * When `data`, `event` and `lastEventId` catch up with a burst of events: `'sync'` on every event,
   * `'microtask'` once per task, `'frame'` at most once per animation frame. `on()` handlers always see
   * every event at once; the other refs are always set at once.
   * @default 'microtask'
   */
  flush?: FlushMode
}

/** What `useEventSource` returns. */
export interface UseEventSourceReturn<Data = string, Events extends EventMap = Record<never, never>> {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSED, as `EventSource.readyState`. */
  readyState: Readonly<ShallowRef<EventSourceReadyState>>
  /** `readyState` as a word: 'CONNECTING', 'OPEN' or 'CLOSED'. */
  status: ComputedRef<EventSourceStatus>
  /** Parsed data of the last `message` (or `events`) event; `null` before the first. */
  data: Readonly<ShallowRef<Data | null>>
  /** Type of the event that last set `data`; `null` before the first. */
  event: Readonly<ShallowRef<string | null>>
  /** The stream's last event ID, sent as `Last-Event-ID` when reconnecting. */
  lastEventId: Readonly<ShallowRef<string>>
  /** The latest error, or `null`; cleared when a connection opens. */
  error: Readonly<ShallowRef<EventSourceError | null>>
  /** Consecutive failed attempts; 0 once a connection delivers an event. */
  attempt: Readonly<ShallowRef<number>>
  /** Delay in ms of the scheduled reconnection, or `null` when none is scheduled. */
  retryDelay: Readonly<ShallowRef<number | null>>
  /** When the scheduled reconnection happens (a `Date.now()` timestamp), or `null`. */
  retryAt: Readonly<ShallowRef<number | null>>
  /**
   * Whether the server finished the stream: the close event or close data arrived, a 204, or a request
   * that is not GET reached the end of its response with neither declared. `false` again on `open()`.
   */
  done: Readonly<ShallowRef<boolean>>
  /**
   * Where the rest of the current run is read again (`resume`), as its first response named it; `null`
   * before and without `resume`. Keep it with `lastEventId` to pick the run up after a reload.
   */
  resumeUrl: Readonly<ShallowRef<string | null>>
  /** Connects, or reconnects at once. */
  open: () => void
  /** Closes for good until `open()`. */
  close: () => void
  /**
   * Calls `handler` with every event of `type`, in order, none collapsed. Returns a function that removes
   * it; it is also removed when the effect scope (component) that called `on` is disposed.
   */
  on: <K extends EventType<Events>>(type: K, handler: EventHandler<EventData<Events, K, Data>, K>) => () => void
}

/** Whether a request is a GET, the only kind that follows its reactive inputs. */
export function isGet(method: string | undefined): boolean {
  return method === undefined || method.toUpperCase() === 'GET'
}

/**
 * Server-Sent Events over `fetch`, as Vue refs. Connects when the component mounts (or at once outside
 * components), reconnects on failure and when a reactive input changes, and closes when the owning
 * component or effect scope goes away. Without `parse`, every event's `data` is its text.
 */
export function useEventSource<Data extends string = string, Events extends TextEvents<Events> = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options?: UseEventSourceOptions<Data> & { parse?: 'text' },
): UseEventSourceReturn<Data, Events>
/** With a Standard Schema (Zod, Valibot, ArkType, …), `data` is the schema's output: each event's data is read as JSON and validated. */
export function useEventSource<Schema extends StandardSchemaV1, Events extends EventMap = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: Omit<UseEventSourceOptions<InferOutput<Schema>>, 'parse'> & { parse: Schema },
): UseEventSourceReturn<InferOutput<Schema>, Events>
/** With `parse: 'json'`, `data` is what you declare (`unknown` if you do not); with a function, what it returns. */
export function useEventSource<Data = unknown, Events extends EventMap = Record<never, never>>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseEventSourceOptions<Data> & { parse: 'json' | ParseFunction<Data> },
): UseEventSourceReturn<Data, Events>
/** With an object of parsers by event type, each type's `data` is its parser's return type; the others stay text. */
export function useEventSource<Parsers extends ParserMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseEventSourceOptions<ParsedData<Parsers>> & { parse: Parsers },
): UseEventSourceReturn<ParsedMessage<Parsers>, ParsedEvents<Parsers>>
export function useEventSource<Data, Events extends EventMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseEventSourceOptions<Data> = {},
): UseEventSourceReturn<Data, Events> {
  return useClientRefs<Data, Events>(url, options)
}

/** `useEventSource` typed from its type arguments alone, for the layers and tests that pass a generic `Data` through. */
export function useClientRefs<Data, Events extends EventMap>(url: MaybeRefOrGetter<string | URL | null | undefined>, options: UseEventSourceOptions<Data> = {}): UseEventSourceReturn<Data, Events> {
  return useBaseEventSource<Data, Events, Record<never, never>>('useEventSource', options, setup => ownConnection(url, options, setup))
}

/**
 * A client of the caller's own: it reads the URL, headers, body and token before every attempt, and for
 * a GET reconnects when one of them changes.
 */
export function ownConnection<Data, Events extends EventMap>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseEventSourceOptions<Data>,
  { binding, when }: ConnectionSetup<Data, Events>,
): Connection<Record<never, never>> {
  const { headers, body, signals = pageSignals() } = options
  const rest = clientOptions<Data, UseEventSourceOptions<Data>>(options)
  // [NON-SPEC] a request that is not GET is sent by open() (or the first connect) only: a change of its
  // inputs is read by the next open(), never a reason to send it again (a second, paid LLM run).
  const followsInputs = isGet(rest.method)
  // Whether the caller wants a connection: open() or `immediate` say yes, close() says no.
  let wanted = false
  // Where a new stream starts: another URL, or another identity, is not where this one was.
  const afresh = rest.lastEventId ?? ''
  // A change of credentials reconnects, so the stream never goes on as a user who is no longer signed in.
  // A new token of the same user (a rotation) resumes where the stream was; across a sign-out or sign-in
  // the position is another identity's, so the stream starts afresh.
  const token = followToken(options.token, signedInOrOut => reconnect(signedInOrOut ? afresh : undefined))
  const client = createClient<Data, Events>(() => toValue(url), {
    ...rest,
    signals,
    token: token.read,
    headers: () => toValue(headers),
    body: () => toValue(body),
  })
  binding.attach(client)

  function reconnect(from?: string): void {
    if (wanted && when !== 'never' && followsInputs)
      from === undefined ? client.open() : client.openFrom(from)
  }
  const open = (): void => {
    wanted = true
    if (when !== 'never')
      client.open()
  }
  const close = (): void => {
    wanted = false
    client.close()
  }

  // A new URL is another stream, started afresh; new headers are new credentials, as a new token is: each
  // reconnect if a connection is wanted.
  const stopWatch = followsInputs
    ? watch(() => [toValue(url), toValue(headers), toValue(body)] as const, ([next], [previous]) => reconnect(String(next) === String(previous) ? undefined : afresh), { deep: true })
    : undefined
  // Vue DevTools' "Event streams" inspector, in development builds only (see devtools/track.ts).
  if (__DEV__)
    trackForDevtools('useEventSource', options, { url: () => String(toValue(url) ?? ''), key: '', client, open, close, crossTab: () => 'off' }, callerName())

  return {
    start: open,
    open,
    close,
    dispose() {
      stopWatch?.()
      token.stop()
      close()
      binding.dispose()
    },
    extra: {},
  }
}
