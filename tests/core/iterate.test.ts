import { QueryClient, experimental_streamedQuery as streamedQuery } from '@tanstack/query-core'
import { describe, expect, it } from 'vitest'
import { createEventSource } from '../../src/core/client'
import { EventSourceHttpError } from '../../src/core/errors'
import { iterateEvents } from '../../src/core/iterate'
import { CLOSED } from '../../src/core/types'
import { uniqueKey, useTestServer } from '../support/helpers'

// The rule: a client's events as an async iterator, none lost while nobody awaits; a clean end is
// `done`, a failure throws, and leaving the loop closes the connection. docs/guide/recipes.md
// ("Async iteration and TanStack Query") promises each of these.

const server = useTestServer()

describe('iterateEvents', () => {
  it('yields every event in order, and is done when the server closes the stream for good', async () => {
    const key = uniqueKey()
    const client = createEventSource(server.current.route('close-event', { key, count: 3 }), { closeEvent: 'close' })
    const seen: string[] = []
    for await (const message of iterateEvents(client))
      seen.push(message.data)
    expect(seen).toEqual(['event 1', 'event 2', 'event 3'])
    expect(client.state.readyState).toBe(CLOSED)
  })

  it('keeps what arrives while nobody awaits', async () => {
    const key = uniqueKey()
    const events = iterateEvents(createEventSource(server.current.route('events', { key, count: 5, hold: true })))
    await new Promise(resolve => setTimeout(resolve, 200))
    const seen: string[] = []
    for await (const message of events) {
      seen.push(message.lastEventId)
      if (seen.length === 5)
        break
    }
    expect(seen).toEqual(['1', '2', '3', '4', '5'])
  })

  it('break closes the connection: the server sees it go', async () => {
    const key = uniqueKey()
    let count = 0
    for await (const _ of iterateEvents(createEventSource(server.current.route('forever', { key, interval: 10 })))) {
      if (++count === 3)
        break
    }
    await server.current.waitForOpen(key, 0)
    expect(server.current.stats(key).clientClosed).toBe(1)
  })

  it('a failure that closes the stream is thrown, typed', async () => {
    const key = uniqueKey()
    const events = iterateEvents(createEventSource(server.current.route('status', { key, code: 404 })))
    await expect(events.next()).rejects.toBeInstanceOf(EventSourceHttpError)
  })
})

describe('recipe: TanStack Query streamedQuery', () => {
  it('a POST stream (the chat route, ending in [DONE]) becomes a query whose data is every chunk, in order', async () => {
    const key = uniqueKey()
    const queryClient = new QueryClient()
    const tokens = await queryClient.fetchQuery({
      queryKey: ['chat', key],
      queryFn: streamedQuery({
        async* streamFn({ signal }) {
          const client = createEventSource<{ token: string }>(server.current.route('chat', { key }), { method: 'POST', body: { prompt: 'hello there' }, parse: 'json', closeData: '[DONE]' })
          for await (const { data } of iterateEvents(client, { signal }))
            yield data.token
        },
      }),
    })
    expect(tokens.join('')).toBe('You said: hello there')
    expect(server.current.stats(key).requests).toHaveLength(1)
  })

  it('cancelling the query aborts its signal: the connection closes', async () => {
    const key = uniqueKey()
    const queryClient = new QueryClient()
    const seen: string[] = []
    void queryClient.fetchQuery({
      queryKey: ['ticks', key],
      queryFn: streamedQuery({
        async* streamFn({ signal }) {
          for await (const { lastEventId } of iterateEvents(createEventSource(server.current.route('forever', { key, interval: 10 })), { signal })) {
            seen.push(lastEventId)
            yield lastEventId
          }
        },
      }),
    }).catch(() => {})
    await server.current.waitForOpen(key, 1)
    await new Promise(resolve => setTimeout(resolve, 50))
    await queryClient.cancelQueries({ queryKey: ['ticks', key] })
    await server.current.waitForOpen(key, 0)
    expect(server.current.stats(key).clientClosed).toBe(1)
    expect(seen.length).toBeGreaterThan(0)
  })
})

describe('iterateEvents: the other ways in and out of the loop', () => {
  it('a 204 is a clean end: the loop finishes without an error', async () => {
    const key = uniqueKey()
    const client = createEventSource(server.current.route('no-content', { key }))
    const seen: string[] = []
    for await (const message of iterateEvents(client))
      seen.push(message.data)
    expect(seen).toEqual([])
    expect(client.state).toMatchObject({ readyState: CLOSED, error: null, done: true })
  })

  it('return from inside the loop closes the connection too', async () => {
    const key = uniqueKey()
    const firstTwo = async (): Promise<string[]> => {
      const seen: string[] = []
      for await (const message of iterateEvents(createEventSource(server.current.route('forever', { key, interval: 10 })))) {
        seen.push(message.lastEventId)
        if (seen.length === 2)
          return seen
      }
      return seen
    }
    expect(await firstTwo()).toEqual(['1', '2'])
    await server.current.waitForOpen(key, 0)
    expect(server.current.stats(key).clientClosed).toBe(1)
  })
})
