import type { EventStreamParser, Lease, ParserCallbacks, SharedRegistry } from '../../src/core/index'
import type { CrossTabRole, DataParser, EventData, EventHandler, EventMap, EventSourceClient, EventSourceErrorDetails, EventSourceErrorType, EventSourceMessage, EventSourceOptions, EventSourceReadyState, EventSourceState, EventSourceStatus, FetchLike, FlushMode, MaybePromise, PageSignals, ReconnectOptions, RequestBody, SubscriberOptions, TokenContext, TokenGetter, TokenSource, UrlSource, UseEventSourceOptions, UseEventSourceReturn, UseSharedEventSourceOptions, UseSharedEventSourceReturn } from '../../src/index'
import { type } from 'arktype'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { createEventSource, defineEventSource, useEventSource, useSharedEventSource } from '../../src/index'

// Type tests: checked by `npm run typecheck` (vue-tsc over tests/) and by Vitest's typecheck project.
// A line marked @ts-expect-error fails the check when it compiles, so each one is a test that can fail.

interface Notice { text: string }
interface Alert { level: 'info' | 'warn', text: string }
// An event map declared as an interface, as apps write them.
interface NoticeEvents { notice: Notice, update: { n: number } }

describe('data comes from parse', () => {
  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('is text without parse, and a type other than string needs a parse', () => {
    expectTypeOf(useEventSource('/sse').data.value).toEqualTypeOf<string | null>()
    expectTypeOf(useEventSource('/sse', { parse: 'text' }).data.value).toEqualTypeOf<string | null>()
    // @ts-expect-error a Tick would be a lie: without parse, data is the event's text
    useEventSource<{ n: number }>('/sse')
    // @ts-expect-error likewise with text parsing said out loud
    useEventSource<{ n: number }>('/sse', { parse: 'text' })
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('is unknown with parse: \'json\' unless typed, and the parser\'s return type with a function', () => {
    expectTypeOf(useEventSource('/sse', { parse: 'json' }).data.value).toEqualTypeOf<unknown>()
    expectTypeOf(useEventSource<Notice>('/sse', { parse: 'json' }).data.value).toEqualTypeOf<Notice | null>()
    expectTypeOf(useEventSource('/sse', { parse: raw => Number(raw) }).data.value).toEqualTypeOf<number | null>()
    // @ts-expect-error the parser returns a number, not a Notice
    useEventSource<Notice>('/sse', { parse: raw => Number(raw) })
  })
})

describe('event maps', () => {
  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('accepts an interface and types each handler by its event', () => {
    const { on } = useEventSource<unknown, NoticeEvents>('/sse', { parse: 'json' })
    on('notice', event => expectTypeOf(event.data).toEqualTypeOf<Notice>())
    on('update', event => expectTypeOf(event.data).toEqualTypeOf<{ n: number }>())
    on('message', event => expectTypeOf(event.data).toEqualTypeOf<unknown>())
    // @ts-expect-error a typo of a mapped event name
    on('notcie', () => {})
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('without a map, on() takes any name', () => {
    const { on } = useEventSource('/sse')
    on('anything', event => expectTypeOf(event.data).toEqualTypeOf<string>())
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('with text parsing, a map may only say string', () => {
    useEventSource<string, { notice: string }>('/sse')
    // @ts-expect-error the notice arrives as text
    useEventSource<string, { notice: Notice }>('/sse')
  })

  // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
  it('a parse object gives each event type its own data type', () => {
    const stream = useEventSource('/sse', {
      parse: { alert: raw => JSON.parse(raw) as Alert, tick: raw => Number(raw) },
    })
    stream.on('alert', event => expectTypeOf(event.data).toEqualTypeOf<Alert>())
    stream.on('tick', event => expectTypeOf(event.data).toEqualTypeOf<number>())
    // message events have no parser here: they stay text
    stream.on('message', event => expectTypeOf(event.data).toEqualTypeOf<string>())
    expectTypeOf(stream.data.value).toEqualTypeOf<string | null>()
    // @ts-expect-error not an event of the parse object
    stream.on('alrt', () => {})
    const withMessage = useEventSource('/sse', { parse: { message: raw => raw.length } })
    expectTypeOf(withMessage.data.value).toEqualTypeOf<number | null>()
  })
})

describe('the same rules hold for every entry point', () => {
  it('useSharedEventSource, defineEventSource and createEventSource', () => {
    expectTypeOf(useSharedEventSource('/sse', { parse: raw => raw.length }).data.value).toEqualTypeOf<number | null>()
    // @ts-expect-error no parse, no Notice
    useSharedEventSource<Notice>('/sse')
    expectTypeOf(defineEventSource<Notice>('/sse', { parse: 'json' })().data.value).toEqualTypeOf<Notice | null>()
    // @ts-expect-error no parse, no Notice
    defineEventSource<Notice>('/sse')
    const client = createEventSource('/sse', { parse: { tick: raw => Number(raw) } })
    client.on('tick', event => expectTypeOf(event.data).toEqualTypeOf<number>())
    // @ts-expect-error no parse, no Notice
    createEventSource<Notice>('/sse')
  })

  // Promised in docs/guide/api.md (tests/fixtures/promises/).
  it('readyState has a name of its own, not the DOM\'s EventSourceReadyState', () => {
    expectTypeOf(useEventSource('/sse').readyState.value).toEqualTypeOf<EventSourceReadyState>()
    expectTypeOf<EventSourceReadyState>().toEqualTypeOf<0 | 1 | 2>()
  })
})

// docs/guide/api.md (Types: `data` comes from `parse`): "a function | its return type | any type, each with
// the function's type".
describe('a parse function', () => {
  it('types data and every on() handler, of any event type, with the return type of the function', () => {
    const { on, data } = useEventSource('/sse', { parse: raw => raw.length })
    expectTypeOf(data.value).toEqualTypeOf<number | null>()
    on('anything', event => expectTypeOf(event.data).toEqualTypeOf<number>())
    on('message', event => expectTypeOf(event.data).toEqualTypeOf<number>())
  })
})

// docs/guide/core.md: "`createEventSource(url, options)` takes the options above, with plain values or getters
// instead of refs (`immediate`, `events` and `flush` are Vue-only)", and "Every option and return type is
// exported too", from the main entry.
describe('the core guide', () => {
  it('createEventSource takes none of the Vue-only options immediate, events and flush', () => {
    // @ts-expect-error immediate is Vue-only: the core connects on open()
    createEventSource('/sse', { immediate: false })
    // @ts-expect-error events is Vue-only: the core has on()
    createEventSource('/sse', { events: ['notice'] })
    // @ts-expect-error flush is Vue-only: the core has no refs to batch
    createEventSource('/sse', { flush: 'microtask' })
  })

  it('every option and return type the guide lists is exported by the main entry', () => {
    type Listed = [UseEventSourceOptions, UseEventSourceReturn, EventSourceOptions, EventSourceClient, EventSourceState, EventSourceMessage, EventMap, EventData<EventMap, string, string>, EventHandler<string, string>, ReconnectOptions, TokenSource, TokenGetter, TokenContext, DataParser<string>, RequestBody, FetchLike, PageSignals, EventSourceReadyState, EventSourceStatus, UrlSource, FlushMode, UseSharedEventSourceOptions, UseSharedEventSourceReturn, SubscriberOptions<string>, CrossTabRole, SharedRegistry, Lease<unknown>, EventSourceErrorType, EventSourceErrorDetails, EventStreamParser, ParserCallbacks, MaybePromise<string>]
    expectTypeOf<Listed>().toBeArray()
    expectTypeOf<Listed['length']>().toEqualTypeOf<32>()
  })
})

// Issue 33 (docs/guide/api.md `parse`, docs/guide/recipes.md "Validated events"): a Standard Schema's
// output types the data, with no cast, for Zod, Valibot and ArkType alike.
describe('Standard Schema in parse', () => {
  const zodAlert = z.object({ level: z.enum(['info', 'warn']), text: z.string() })
  const valibotAlert = v.object({ level: v.picklist(['info', 'warn']), text: v.string() })
  const arkAlert = type({ level: '"info" | "warn"', text: 'string' })

  it('per event type, each handler\'s data is its schema\'s output; a function beside it, its return type', () => {
    for (const Alert of [zodAlert, valibotAlert] as const) {
      const { on, data } = useEventSource('/sse/named', { parse: { alert: Alert, tick: (raw: string) => Number(raw) } })
      on('alert', ({ data }) => expectTypeOf(data).toEqualTypeOf<Alert>())
      on('tick', ({ data }) => expectTypeOf(data).toEqualTypeOf<number>())
      expectTypeOf(data.value).toEqualTypeOf<string | null>()
      // @ts-expect-error a type the parsers do not name
      on('alart', () => {})
    }
    const { on } = useEventSource('/sse/named', { parse: { alert: arkAlert } })
    on('alert', ({ data }) => expectTypeOf(data).toEqualTypeOf<{ level: 'info' | 'warn', text: string }>())
  })

  it('one schema for every message: data is its output, in every entry point', () => {
    expectTypeOf(useEventSource('/sse', { parse: zodAlert }).data.value).toEqualTypeOf<Alert | null>()
    expectTypeOf(useSharedEventSource('/sse', { parse: valibotAlert }).data.value).toEqualTypeOf<Alert | null>()
    expectTypeOf(defineEventSource('/sse', { parse: zodAlert })().data.value).toEqualTypeOf<Alert | null>()
    createEventSource('/sse', { parse: arkAlert }).on('message', ({ data }) => expectTypeOf(data).toEqualTypeOf<{ level: 'info' | 'warn', text: string }>())
  })
})
