// The core's one door. Exports tagged internal serve this package's Vue and platform layers only: they
// are not part of the API, may change in any release, and are left out of the published types.
export type { EventSourceClient } from './client'
/** @internal */
export { createClient } from './client'
export { createEventSource } from './client'
/** @internal */
export { createDispatcher } from './dispatch'
export type { EventSourceErrorDetails, EventSourceErrorType } from './errors'
export { EventSourceDataError, EventSourceError, EventSourceHttpError, EventSourceOptionError } from './errors'
export { iterateEvents } from './iterate'
/** @internal */
export { resolveParse } from './options'
export type { EventStreamParser, ParserCallbacks } from './parse'
export { createEventStreamParser } from './parse'
export type { Lease, SharedRegistry } from './registry'
export { createSharedRegistry } from './registry'
/** @internal */
export { conflictingOptions, streamKey } from './sharedKey'
export type { PageSignals } from './signals'
/** @internal */
export { createStateStore } from './store'
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
  MaybePromise,
  ParsedData,
  ParsedEvents,
  ParsedMessage,
  ParseFunction,
  ParserMap,
  ReconnectOptions,
  RequestBody,
  ResyncInfo,
  TextEvents,
  TokenContext,
  TokenGetter,
  TokenSource,
  UrlSource,
} from './types'
export { CLOSED, CONNECTING, OPEN } from './types'
/** @internal */
export { checkEventType, checkFunction, checkNumber, checkOneOf } from './validate'
