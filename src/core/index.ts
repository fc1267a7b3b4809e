// The core's public door, and the `vue-event-source/core` entry. What only this package's own layers use
// goes through ./internal instead, so that no entry exports it.
export type { EventSourceClient } from './client'
export { createEventSource } from './client'
export type { EventSourceErrorDetails, EventSourceErrorType } from './errors'
export { EventSourceDataError, EventSourceError, EventSourceHttpError, EventSourceOptionError } from './errors'
export { iterateEvents } from './iterate'
export type { EventStreamParser, ParserCallbacks } from './parse'
export { createEventStreamParser } from './parse'
export type { Lease, SharedRegistry } from './registry'
export { createSharedRegistry, sharedRegistry } from './registry'
export type { PageSignals } from './signals'
export type {
  DataParser,
  EventData,
  EventHandler,
  EventMap,
  EventSourceMessage,
  EventSourceOptions,
  EventSourceReadyState,
  EventSourceState,
  EventSourceStatus,
  EventType,
  FetchLike,
  InferOutput,
  MaybePromise,
  Parsed,
  ParsedData,
  ParsedEvents,
  ParsedMessage,
  ParseFunction,
  ParserMap,
  ReconnectOptions,
  RequestBody,
  ResyncInfo,
  StandardIssue,
  StandardResult,
  StandardSchemaV1,
  TextEvents,
  TokenContext,
  TokenGetter,
  TokenSource,
  UrlSource,
} from './types'
export { CLOSED, CONNECTING, OPEN } from './types'
