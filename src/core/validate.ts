import { EventSourceOptionError } from './errors'

/**
 * Checks a number option, returning it; otherwise throws an `EventSourceOptionError` naming `option`.
 * It must be at least `min`, and `Infinity` only when `infinity`, and whole (Infinity aside) when
 * `integer`. `NaN` is never allowed.
 */
export function checkNumber(option: string, value: unknown, min = 0, infinity = false, integer = false): number {
  if (typeof value !== 'number' || !(value >= min) || (value === Infinity ? !infinity : integer && !Number.isInteger(value)))
    throw new EventSourceOptionError(option, __DEV__ ? `expected a${integer ? ' whole' : ''} number >= ${min}${infinity ? ' or Infinity' : ''}, got ${String(value)}` : '')
  return value
}

/** Checks that `value` is a function, or `undefined` when `optional`; returns it. */
export function checkFunction<T>(option: string, value: T, optional = false): T {
  if (typeof value !== 'function' && !(optional && value === undefined))
    throw new EventSourceOptionError(option, __DEV__ ? `expected a function, got ${typeof value}` : '')
  return value
}

/** Checks that `value` is a string naming an event type; returns it. */
export function checkEventType(option: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new EventSourceOptionError(option, __DEV__ ? `expected an event type name, got ${typeof value}` : '')
  return value
}

/** Checks that `value` is one of `allowed`; returns it. */
export function checkOneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new EventSourceOptionError(option, __DEV__ ? `expected one of ${allowed.join(', ')}, got ${String(value)}` : '')
  return value as T
}
