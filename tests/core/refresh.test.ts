import { describe, expect, it } from 'vitest'
import { EventSourceHttpError } from '../../src/core/errors'
import { createTokenRefresh } from '../../src/core/refresh'

const unauthorized = (): EventSourceHttpError => new EventSourceHttpError(401, null)

describe('token refresh: with a token getter', () => {
  it('allows one retry with a fresh token per episode, then the refusal is final', () => {
    const refresh = createTokenRefresh(true)
    expect(refresh.refused('expired', unauthorized())).toBe(true)
    expect(refresh.refused('fresh', unauthorized())).toBe(false)
    expect(refresh.refused('fresher', unauthorized())).toBe(false)
  })

  it('end() closes the episode: a later refusal may ask again, once', () => {
    const refresh = createTokenRefresh(true)
    expect(refresh.refused('a', unauthorized())).toBe(true)
    refresh.end()
    expect(refresh.refused('b', unauthorized())).toBe(true)
    expect(refresh.refused('c', unauthorized())).toBe(false)
    refresh.end()
    refresh.end()
    expect(refresh.refused('d', unauthorized())).toBe(true)
    expect(refresh.refused('e', unauthorized())).toBe(false)
  })

  it('end() before any refusal leaves the one retry in place', () => {
    const refresh = createTokenRefresh(true)
    refresh.end()
    expect(refresh.refused('a', unauthorized())).toBe(true)
    expect(refresh.refused('a', unauthorized())).toBe(false)
  })

  it('stale() returns the refusal only when the getter answered with the very token just refused', () => {
    const refresh = createTokenRefresh(true)
    const error = unauthorized()
    refresh.refused('expired', error)
    expect(refresh.stale('expired')).toBe(error)
    expect(refresh.stale('fresh')).toBeNull()
    expect(refresh.stale(null)).toBeNull()
    expect(refresh.stale('')).toBeNull()
    // A token that merely starts with the refused one is a different token.
    expect(refresh.stale('expired2')).toBeNull()
  })

  it('stale() treats "no token" as a token too: null after a refused null is stale', () => {
    const refresh = createTokenRefresh(true)
    const error = new EventSourceHttpError(403, null)
    refresh.refused(null, error)
    expect(refresh.stale(null)).toBe(error)
    expect(refresh.stale('now-signed-in')).toBeNull()
  })

  it('stale() compares with the refusal of the current episode, not an earlier one', () => {
    const refresh = createTokenRefresh(true)
    const first = unauthorized()
    const second = new EventSourceHttpError(403, null)
    refresh.refused('one', first)
    refresh.end()
    refresh.refused('two', second)
    expect(refresh.stale('two')).toBe(second)
    expect(refresh.stale('one')).toBeNull()
  })

  it('stale() reports nothing before any refusal', () => {
    const refresh = createTokenRefresh(true)
    expect(refresh.stale('token')).toBeNull()
    expect(refresh.stale(null)).toBeNull()
  })
})

describe('token refresh: with a fixed token', () => {
  it('never retries: the first refusal is final', () => {
    const refresh = createTokenRefresh(false)
    expect(refresh.refused('revoked', unauthorized())).toBe(false)
    expect(refresh.refused('revoked', unauthorized())).toBe(false)
  })

  it('end() does not turn retries on', () => {
    const refresh = createTokenRefresh(false)
    refresh.end()
    expect(refresh.refused('revoked', unauthorized())).toBe(false)
    refresh.end()
    expect(refresh.refused(null, unauthorized())).toBe(false)
  })

  it('a refusal it did not retry is never reported as stale', () => {
    const refresh = createTokenRefresh(false)
    refresh.refused('revoked', unauthorized())
    expect(refresh.stale('revoked')).toBeNull()
  })
})
