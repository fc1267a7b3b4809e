/**
 * Standard Schema (https://standardschema.dev) for event data: Zod, Valibot, ArkType and the others that
 * implement its `~standard` interface. The client reads that interface only; no schema library is a
 * dependency.
 */
import type { ParseFunction, StandardResult, StandardSchemaV1 } from './types'
import { EventSourceDataError } from './errors'

/** Whether `value` implements Standard Schema (an ArkType type is a function that does too). */
export function isSchema(value: unknown): value is StandardSchemaV1 {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && '~standard' in value
}

/**
 * A parse function that reads an event's data as JSON and validates it with `schema`: its output, or a
 * `parse` error carrying the issues, each as plain data (a library's issue may hold the input, and its
 * path may be an array of its own kind). An asynchronous schema gives a promise; the dispatcher keeps
 * events in order.
 */
export function parseWith<Output>(schema: StandardSchemaV1<unknown, Output>): ParseFunction<Output | Promise<Output>> {
  return (raw, event) => {
    const check = (result: StandardResult<Output>): Output => {
      if (result.issues)
        throw new EventSourceDataError('parse', { ...event, raw }, undefined, result.issues.map(({ message, path = [] }) => ({ message, path: Array.from(path, key => typeof key === 'object' ? key.key : key) })))
      return result.value
    }
    const result = schema['~standard'].validate(JSON.parse(raw))
    return result instanceof Promise ? result.then(check) : check(result)
  }
}
