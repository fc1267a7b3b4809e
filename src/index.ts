export type {
  DataParser,
  EventData,
  EventHandler,
  EventMap,
  EventSourceClient,
  EventSourceErrorDetails,
  EventSourceErrorType,
  EventSourceMessage,
  EventSourceOptions,
  EventSourceReadyState,
  EventSourceState,
  EventSourceStatus,
  EventType,
  FetchLike,
  InferOutput,
  MaybePromise,
  PageSignals,
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
  StandardSchemaV1,
  TextEvents,
  TokenContext,
  TokenGetter,
  TokenSource,
  UrlSource,
} from './core/index'
export {
  CLOSED,
  CONNECTING,
  createEventSource,
  EventSourceDataError,
  EventSourceError,
  EventSourceHttpError,
  EventSourceOptionError,
  iterateEvents,
  OPEN,
} from './core/index'
export type { SubscriberOptions } from './defineEventSource'
export { defineEventSource } from './defineEventSource'
export type { FlushMode } from './platform/batcher'
export type { CrossTabRole } from './platform/crossTab'
export { pageSignals } from './platform/pageSignals'
export type { UseEventSourceOptions, UseEventSourceReturn } from './useEventSource'
export { useEventSource } from './useEventSource'
export type { UseSharedEventSourceOptions, UseSharedEventSourceReturn } from './useSharedEventSource'
export { canShareAcrossTabs, useSharedEventSource } from './useSharedEventSource'
