// The core's second door: helpers this package's Vue, platform and drop-in layers share, which no entry
// exports. They are not part of the API and may change in any release.
export type { InternalClient, RunState, Source } from './client'
export { createClient } from './client'
export { createDispatcher } from './dispatch'
export { callSafely } from './errors'
export { DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOKEN_TIMEOUT, resolveParse } from './options'
export { createReplayFilter } from './resume'
export { conflictingOptions, credentialScope, identity, streamTarget } from './sharedKey'
export { createStateStore } from './store'
export { checkToken, readToken } from './token'
export { STATUS_NAMES } from './types'
export { checkEventType, checkFunction, checkNumber, checkOneOf } from './validate'
