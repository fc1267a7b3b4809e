// What makes two shared streams the same: docs/guide/shared.md (the key, and conflicting options).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventSourceOptionError } from '../../src/core/errors'
import { conflictingOptions, identity, stableJson, streamKey } from '../../src/core/sharedKey'

const URL_ = 'https://api.test/events'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('stableJson', () => {
  it('writes object keys in a fixed order, so key order does not matter', () => {
    expect(stableJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}')
    expect(stableJson({ b: 1, a: 2 })).toBe(stableJson({ a: 2, b: 1 }))
  })

  it('sorts nested objects too, and objects inside arrays', () => {
    expect(stableJson({ z: { y: 1, x: [{ d: 1, c: 2 }] }, a: null })).toBe('{"a":null,"z":{"x":[{"c":2,"d":1}],"y":1}}')
  })

  it('keeps the order of array items', () => {
    expect(stableJson([3, 1, 2])).toBe('[3,1,2]')
    expect(stableJson([1, 2])).not.toBe(stableJson([2, 1]))
  })

  it('sorts by UTF-16 code unit, and integer-like keys give the same text in any order', () => {
    expect(stableJson({ b: 1, a: 1, _: 1, B: 1 })).toBe('{"B":1,"_":1,"a":1,"b":1}')
    expect(stableJson({ 10: 'x', 9: 'y', a: 'z' })).toBe(stableJson({ a: 'z', 9: 'y', 10: 'x' }))
  })

  it('follows JSON for everything else: undefined and functions dropped, toJSON used, primitives as JSON', () => {
    expect(stableJson({ a: undefined, b: 1, f: () => 1 })).toBe('{"b":1}')
    expect(stableJson({ when: new Date(0) })).toBe('{"when":"1970-01-01T00:00:00.000Z"}')
    expect(stableJson('text')).toBe('"text"')
    expect(stableJson(5)).toBe('5')
    expect(stableJson(null)).toBe('null')
    expect(stableJson(Object.assign(Object.create(null) as object, { b: 1, a: 2 }))).toBe('{"a":2,"b":1}')
  })

  it('passes every value, the root included, through map before writing it', () => {
    const fn = (): void => {}
    const seen: unknown[] = []
    const text = stableJson({ f: fn, n: 1 }, (inner) => {
      seen.push(inner)
      return typeof inner === 'function' ? 'FN' : inner
    })
    expect(text).toBe('{"f":"FN","n":1}')
    expect(seen).toContain(fn)
    expect(seen).toContain(1)
    expect(seen).toHaveLength(3)
    expect(stableJson(2, inner => (inner as number) * 10)).toBe('20')
  })

  it('sorts an object that map returns', () => {
    expect(stableJson({ k: 'swap' }, inner => inner === 'swap' ? { y: 1, x: 2 } : inner)).toBe('{"k":{"x":2,"y":1}}')
  })
})

describe('identity', () => {
  it('gives an object the same id for its lifetime, and different objects different ids', () => {
    const a = (): void => {}
    const b = (): void => {}
    const form = new FormData()
    expect(identity(a)).toBe(identity(a))
    expect(identity(form)).toBe(identity(form))
    expect(identity(a)).not.toBe(identity(b))
    expect(identity(a)).not.toBe(identity(form))
    expect(identity({})).not.toBe(identity({}))
  })

  it('is "#" and a number, numbered in order of first sight', () => {
    const first = identity({})
    const second = identity({})
    expect(first).toMatch(/^#\d+$/)
    expect(Number(second.slice(1))).toBe(Number(first.slice(1)) + 1)
  })
})

describe('streamKey', () => {
  it('is the method in capitals, the absolute URL and the auth scope', () => {
    expect(streamKey(URL_, 'GET', undefined, undefined)).toBe('GET https://api.test/events anonymous')
    expect(streamKey(URL_, 'get', undefined, undefined)).toBe(streamKey(URL_, 'GET', undefined, undefined))
    expect(streamKey(URL_, 'POST', undefined, undefined)).toBe('POST https://api.test/events anonymous')
  })

  it('resolves the URL as fetch would: a URL object and a string of it agree, and equivalent spellings agree', () => {
    expect(streamKey(new URL(URL_), 'GET', null, null)).toBe(streamKey(URL_, 'GET', null, null))
    expect(streamKey('HTTPS://API.test:443/a/../events', 'GET', null, null)).toBe('GET https://api.test/events anonymous')
    expect(streamKey('https://api.test/events?a=1', 'GET', null, null)).not.toBe(streamKey('https://api.test/events?a=2', 'GET', null, null))
  })

  it('resolves a relative URL against the page where there is one', () => {
    vi.stubGlobal('location', { href: 'https://app.test/page/' })
    expect(streamKey('/events', 'GET', null, null)).toBe('GET https://app.test/events anonymous')
    expect(streamKey('events', 'GET', null, null)).toBe('GET https://app.test/page/events anonymous')
  })

  it('throws invalid-option naming url for a bad URL', () => {
    const thrown = (url: string): unknown => {
      try {
        streamKey(url, 'GET', null, null)
      }
      catch (error) {
        return error
      }
      return undefined
    }
    for (const url of ['/relative-without-a-page', 'not a url', 'ftp://api.test/events', 'javascript:alert(1)']) {
      const error = thrown(url)
      expect(error, url).toBeInstanceOf(EventSourceOptionError)
      expect((error as EventSourceOptionError).option).toBe('url')
    }
  })

  it('adds no body part when there is no body', () => {
    expect(streamKey(URL_, 'POST', null, null)).toBe(streamKey(URL_, 'POST', undefined, undefined))
    expect(streamKey(URL_, 'POST', null, null).split(' ')).toHaveLength(3)
  })

  it('counts a JSON body by value, whatever its key order', () => {
    const key = streamKey(URL_, 'POST', { b: 1, a: { y: 2, x: 3 } }, null)
    expect(key.split(' ')).toHaveLength(4)
    expect(streamKey(URL_, 'POST', { a: { x: 3, y: 2 }, b: 1 }, null)).toBe(key)
    expect(streamKey(URL_, 'POST', { a: { x: 3, y: 2 }, b: 2 }, null)).not.toBe(key)
    expect(streamKey(URL_, 'POST', [1, 2], null)).toBe(streamKey(URL_, 'POST', [1, 2], null))
    expect(streamKey(URL_, 'POST', [1, 2], null)).not.toBe(streamKey(URL_, 'POST', [2, 1], null))
  })

  it('counts a text body by value, without writing it into the key', () => {
    const key = streamKey(URL_, 'POST', 'query=secret-words', null)
    expect(key).not.toContain('secret')
    expect(streamKey(URL_, 'POST', 'query=secret-words', null)).toBe(key)
    expect(streamKey(URL_, 'POST', 'query=other-words', null)).not.toBe(key)
    expect(key).not.toBe(streamKey(URL_, 'POST', null, null))
  })

  it('counts any other body by identity: the same instance shares, an equal copy does not', () => {
    const form = new FormData()
    form.set('q', '1')
    const copy = new FormData()
    copy.set('q', '1')
    expect(streamKey(URL_, 'POST', form, null)).toBe(streamKey(URL_, 'POST', form, null))
    expect(streamKey(URL_, 'POST', form, null)).not.toBe(streamKey(URL_, 'POST', copy, null))
    const params = new URLSearchParams('q=1')
    expect(streamKey(URL_, 'POST', params, null)).toBe(`POST https://api.test/events ${identity(params)} anonymous`)
    expect(streamKey(URL_, 'POST', new Blob(['x']), null)).not.toBe(streamKey(URL_, 'POST', new Blob(['x']), null))
  })

  it('is anonymous without a token, null and the empty string included', () => {
    for (const token of [undefined, null, ''])
      expect(streamKey(URL_, 'GET', null, token)).toBe('GET https://api.test/events anonymous')
  })

  it('names a static token by a hash, never the token itself', () => {
    const key = streamKey(URL_, 'GET', null, 'alice-secret-token')
    expect(key).toMatch(/^GET https:\/\/api\.test\/events token:[0-9a-z]+$/)
    expect(key).not.toContain('alice')
    expect(key).not.toContain('secret')
    expect(streamKey(URL_, 'GET', null, 'alice-secret-token')).toBe(key)
    expect(streamKey(URL_, 'GET', null, 'bob-secret-token')).not.toBe(key)
  })

  // Issue 28: every getter and ref shared one "bearer" scope, so a lingering connection opened with
  // one user's token was handed to the next user's subscribers. The key names the token sent now.
  it('names the token sent now, not where it comes from: one user\'s key is never another\'s', () => {
    expect(streamKey(URL_, 'GET', null, 'alice-token')).not.toBe(streamKey(URL_, 'GET', null, 'bob-token'))
    expect(streamKey(URL_, 'GET', null, 'alice-token')).toBe(streamKey(URL_, 'GET', null, 'alice-token'))
  })

  it('adds the headers by a hash of their names and values, whatever their form or the case of their names', () => {
    const key = streamKey(URL_, 'GET', null, null, { 'X-Api-Key': 'secret-key-1' })
    expect(key).toMatch(/^GET https:\/\/api\.test\/events anonymous headers:[0-9a-z]+$/)
    expect(key).not.toContain('secret')
    expect(streamKey(URL_, 'GET', null, null, [['x-api-key', 'secret-key-1']])).toBe(key)
    expect(streamKey(URL_, 'GET', null, null, new Headers({ 'x-api-key': 'secret-key-1' }))).toBe(key)
    expect(streamKey(URL_, 'GET', null, null, { 'x-api-key': 'secret-key-2' })).not.toBe(key)
    expect(streamKey(URL_, 'GET', null, null, {})).toBe(streamKey(URL_, 'GET', null, null))
    expect(streamKey(URL_, 'GET', null, null, { 'bad name': 'x' })).toMatch(/headers:invalid$/)
  })

  it('keeps connections of different methods, URLs, bodies and scopes apart', () => {
    const keys = new Set([
      streamKey(URL_, 'GET', null, null),
      streamKey(URL_, 'POST', null, null),
      streamKey(`${URL_}/other`, 'GET', null, null),
      streamKey(URL_, 'POST', { a: 1 }, null),
      streamKey(URL_, 'GET', null, 'token'),
      streamKey(URL_, 'GET', null, 'token', { 'x-tenant': '1' }),
    ])
    expect(keys.size).toBe(6)
  })
})

describe('conflictingOptions', () => {
  it('is empty when every option agrees', () => {
    expect(conflictingOptions({}, {})).toEqual([])
    expect(conflictingOptions({ heartbeatTimeout: 1000, withCredentials: true, closeEvent: 'bye' }, { closeEvent: 'bye', withCredentials: true, heartbeatTimeout: 1000 })).toEqual([])
  })

  it('names every option that differs, sorted', () => {
    expect(conflictingOptions({ parse: 'json', closeEvent: 'a', method: 'GET' }, { parse: 'text', closeEvent: 'b', method: 'GET' })).toEqual(['closeEvent', 'parse'])
  })

  it('counts an option set on one side only as a difference, unless it is undefined', () => {
    expect(conflictingOptions({ heartbeatTimeout: 1000 }, {})).toEqual(['heartbeatTimeout'])
    expect(conflictingOptions({}, { heartbeatTimeout: 1000 })).toEqual(['heartbeatTimeout'])
    expect(conflictingOptions({ heartbeatTimeout: undefined }, {})).toEqual([])
    expect(conflictingOptions({ lastEventId: null }, {})).toEqual(['lastEventId'])
  })

  it('compares functions by identity', () => {
    const onOpen = (): void => {}
    expect(conflictingOptions({ onOpen }, { onOpen })).toEqual([])
    expect(conflictingOptions({ onOpen }, { onOpen: (): void => {} })).toEqual(['onOpen'])
  })

  it('compares plain objects and arrays by value, whatever their key order', () => {
    expect(conflictingOptions({ reconnect: { delay: 10, retries: 3 } }, { reconnect: { retries: 3, delay: 10 } })).toEqual([])
    expect(conflictingOptions({ reconnect: { delay: 10 } }, { reconnect: { delay: 20 } })).toEqual(['reconnect'])
    expect(conflictingOptions({ headers: [['x-a', '1']] }, { headers: [['x-a', '1']] })).toEqual([])
    expect(conflictingOptions({ headers: [['x-a', '1']] }, { headers: [['x-a', '2']] })).toEqual(['headers'])
  })

  it('compares functions inside plain data by identity too', () => {
    const onFailed = (): void => {}
    expect(conflictingOptions({ reconnect: { onFailed, delay: 5 } }, { reconnect: { delay: 5, onFailed } })).toEqual([])
    expect(conflictingOptions({ reconnect: { onFailed } }, { reconnect: { onFailed: (): void => {} } })).toEqual(['reconnect'])
    expect(conflictingOptions({ list: [onFailed] }, { list: [(): void => {}] })).toEqual(['list'])
  })

  it('compares class instances by identity: the same instance agrees, an equal copy does not', () => {
    const headers = new Headers({ 'x-a': '1' })
    expect(conflictingOptions({ headers }, { headers })).toEqual([])
    expect(conflictingOptions({ headers }, { headers: new Headers({ 'x-a': '1' }) })).toEqual(['headers'])
  })

  it('compares primitives by value', () => {
    expect(conflictingOptions({ a: 1, b: true, c: 'x', d: null }, { a: 1, b: true, c: 'x', d: null })).toEqual([])
    expect(conflictingOptions({ a: 1, b: true, c: 'x', d: null }, { a: 2, b: false, c: 'y', d: undefined })).toEqual(['a', 'b', 'c', 'd'])
  })

  it('leaves its arguments as they were', () => {
    const a = { reconnect: { retries: 1, delay: 2 } }
    const b = { reconnect: { delay: 2, retries: 1 } }
    conflictingOptions(a, b)
    expect(Object.keys(a.reconnect)).toEqual(['retries', 'delay'])
    expect(Object.keys(b.reconnect)).toEqual(['delay', 'retries'])
  })
})
