import type { EventSourceError } from './errors'
import type { EventData, EventHandler, EventMap, EventSourceMessage } from './types'
import { EventSourceDataError } from './errors'
import { Listeners } from './listeners'
import { checkEventType, checkFunction } from './validate'

type AnyHandler = (message: EventSourceMessage<unknown>) => void

/** Hands parsed events to handlers; shared by a connection and by a tab that only hears another tab's. */
export interface Dispatcher<Data, Events extends EventMap> {
  /** Calls `handler` with every event of `type`; returns a function that removes it. */
  on: <K extends string>(type: K, handler: EventHandler<EventData<Events, K, Data>, K>) => () => void
  /**
   * Calls `handler` with every event of every type, before the per-type handlers. With `dataOf`, the
   * handler reads `data` only for those types: others arrive unparsed, with `data` undefined.
   */
  listen: (handler: (message: EventSourceMessage<Data>) => void, dataOf?: readonly string[]) => () => void
  /**
   * Hands over one event. Its data is parsed only when someone reads it (a handler of its type, or a
   * listener that reads every type's data); a parse failure or a throwing handler is reported, never thrown.
   */
  deliver: (type: string, raw: string, lastEventId: string) => void
  /** Hands a control event (the close event) to the handlers of its type only, with its raw text as `data`. */
  deliverControl: (type: string, raw: string, lastEventId: string) => void
}

export function createDispatcher<Data, Events extends EventMap>(
  parse: ((raw: string, event: { event: string, lastEventId: string }) => Data) | null,
  report: (error: EventSourceError) => void,
): Dispatcher<Data, Events> {
  const handlers = new Listeners<AnyHandler>()
  const ANY = '\0any'
  // Who reads data of which type, besides the per-type handlers: listeners reading every type count in
  // `readAll`, the others by type in `readers`. An event nobody reads is never parsed, so never fails to.
  let readAll = 0
  const readers = new Map<string, number>()
  // The lists last looked up, kept until the event type or any list changes: a stream of one type
  // looks its handlers up once, not once per event (a Map lookup per event shows in the benchmarks).
  let version = -1
  let every: readonly AnyHandler[] | undefined
  let typedFor: string | null = null
  let typed: readonly AnyHandler[] | undefined
  // The events queued behind one whose data an async schema validates; `null` when none waits.
  let pending: Promise<void> | null = null

  function call(handler: AnyHandler, message: EventSourceMessage<unknown>): void {
    try {
      handler(message)
    }
    catch (cause) {
      failed(message, cause)
    }
  }

  /** A handler's failure is the application's, not the stream's: report it and go on. */
  function failed(message: EventSourceMessage<unknown>, cause: unknown): void {
    report(new EventSourceDataError('handler', message, cause))
  }

  // The check runs per event, inlined; the look-up is a call, made when the type or a list changed.
  function lookUp(type: string): void {
    if (version !== handlers.version || type !== typedFor)
      lookUpAgain(type)
  }

  function lookUpAgain(type: string): void {
    if (version !== handlers.version) {
      version = handlers.version
      every = handlers.get(ANY)
      typedFor = null
    }
    if (type !== typedFor) {
      typedFor = type
      typed = handlers.get(type)
    }
  }

  /**
   * Hands one event over, its data parsed (text takes the short way in `deliver` below); a promise when
   * its data is still being validated (an async schema).
   */
  function parseAndHand(parser: NonNullable<typeof parse>, type: string, raw: string, lastEventId: string): Promise<void> | undefined {
    lookUp(type)
    let data: unknown
    if (typed !== undefined || readAll > 0 || (readers.get(type) ?? 0) > 0) {
      try {
        data = parser(raw, { event: type, lastEventId })
      }
      catch (cause) {
        return fail(type, raw, lastEventId, cause)
      }
      if (data instanceof Promise) {
        return data.then(
          value => hand(type, value, raw, lastEventId),
          cause => fail(type, raw, lastEventId, cause),
        )
      }
    }
    hand(type, data, raw, lastEventId)
  }

  function fail(type: string, raw: string, lastEventId: string, cause: unknown): undefined {
    // A schema's rejection comes as the error to report, with its issues.
    report(cause instanceof EventSourceDataError ? cause : new EventSourceDataError('parse', { event: type, raw, lastEventId }, cause))
  }

  /** Calls every listener, then the handlers of `type`, with the event: looked up again, as `parse` may have changed them. */
  function hand(type: string, data: unknown, raw: string, lastEventId: string): void {
    lookUp(type)
    handOut(type, data, raw, lastEventId)
  }

  /** Calls every listener, then the handlers of `type`, as last looked up, with the event. */
  function handOut(type: string, data: unknown, raw: string, lastEventId: string): undefined {
    // Snapshots: a handler added or removed meanwhile changes the next event's lists, not these.
    const all = every
    const own = typed
    const message: EventSourceMessage<unknown> = { event: type, data, raw, lastEventId }
    // Each list is called from its own site, not through call(): V8 then sees one handler per site and
    // inlines it (through one shared site, a listener and a handler were two targets, and calls).
    if (all !== undefined) {
      for (let i = 0; i < all.length; i++) {
        try {
          all[i]!(message)
        }
        catch (cause) {
          failed(message, cause)
        }
      }
    }
    if (own !== undefined) {
      for (let i = 0; i < own.length; i++) {
        try {
          own[i]!(message)
        }
        catch (cause) {
          failed(message, cause)
        }
      }
    }
  }

  function count(types: readonly string[], by: number): void {
    for (const type of types)
      readers.set(type, (readers.get(type) ?? 0) + by)
  }

  return {
    on(type, handler) {
      if (__DEV__) {
        checkEventType('type', type)
        checkFunction('handler', handler)
      }
      return handlers.add(type, handler as unknown as AnyHandler)
    },
    listen(handler, dataOf) {
      if (__DEV__)
        checkFunction('handler', handler)
      const off = handlers.add(ANY, handler as unknown as AnyHandler)
      if (dataOf === undefined)
        readAll++
      else
        count(dataOf, 1)
      let listening = true
      return () => {
        if (!listening)
          return
        listening = false
        off()
        if (dataOf === undefined)
          readAll--
        else
          count(dataOf, -1)
      }
    },
    deliver(type, raw, lastEventId) {
      // Text never waits (only an async parse queues events), and no app code runs between the look-up and
      // the handlers: a short way, which V8 inlines whole into the parser's loop. Looking the lists up
      // twice per event was ~7% of the core's time on 100,000 small events in Chromium.
      if (parse === null) {
        lookUp(type)
        return handOut(type, raw, raw, lastEventId)
      }
      // Behind an event whose data an async schema still validates, every event waits its turn.
      const ready = pending === null ? parseAndHand(parse, type, raw, lastEventId) : pending.then(() => parseAndHand(parse, type, raw, lastEventId))
      if (ready !== undefined) {
        const tail: Promise<void> = pending = ready
        void tail.then(() => {
          if (pending === tail)
            pending = null
        })
      }
    },
    deliverControl(type, raw, lastEventId) {
      lookUp(type)
      const own = typed
      if (own !== undefined) {
        const message: EventSourceMessage<unknown> = { event: type, data: raw, raw, lastEventId }
        for (let i = 0; i < own.length; i++)
          call(own[i]!, message)
      }
    },
  }
}
