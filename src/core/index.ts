export type { EventSourceClient } from './client'
export { createEventSource } from './client'
export type { EventSourceErrorDetails, EventSourceErrorType } from './errors'
export { EventSourceDataError, EventSourceError, EventSourceHttpError, EventSourceOptionError } from './errors'
export type { EventStreamParser, ParserCallbacks } from './parse'
export { createEventStreamParser } from './parse'
export type { Lease, SharedRegistry } from './registry'
export { createSharedRegistry } from './registry'
export type { PageSignals } from './signals'
export type {
  DataParser,
  EventData,
  EventHandler,
  EventMap,
  EventSourceMessage,
  EventSourceOptions,
  EventSourceState,
  EventSourceStatus,
  FetchLike,
  MaybePromise,
  ReadyState,
  ReconnectOptions,
  RequestBody,
  TokenContext,
  TokenGetter,
  TokenSource,
  UrlSource,
} from './types'
export { CLOSED, CONNECTING, OPEN } from './types'
