// Tests here hold promises of docs/guide/recipes.md (listed in tests/fixtures/promises/).
// docs/spec.md: a request that is not GET is sent only by the first connect or `open()` ([NON-SPEC]).
/**
 * Issue 28, part 1: a shared stream followed its first user. The rule, from README.md ("Bearer tokens")
 * and docs/guide/shared.md ("Logout and switching users"): a connection is only ever shared by
 * subscribers whose credentials are the same, and a change of credentials reconnects, for every form of
 * token (string, ref, getter, async getter), for plain and shared streams. Across tabs:
 * tests/e2e/crossTab.test.ts. A request that is not GET is the exception (docs/guide/api.md, `method`):
 * a change is read by the next open(), never a reason to send it.
 */
import type { EffectScope, MaybeRefOrGetter } from 'vue'
import type { TokenGetter } from '../src/index'
import { describe, expect, it, vi } from 'vitest'
import { effectScope, reactive, ref, toRef } from 'vue'
import { createSharedRegistry } from '../src/core/index'
import { defineEventSource, useEventSource, useSharedEventSource } from '../src/index'
import { sleep, uniqueKey, useTestServer } from './support/helpers'

const server = useTestServer()

type TokenOption = MaybeRefOrGetter<string | null | undefined> | TokenGetter

/** The app's auth store, and each form a `token` option can take over it. */
function authStore() {
  const auth = reactive({ user: 'alice' })
  const forms: Record<string, () => TokenOption> = {
    // A string is read when the subscriber is created, as `token: auth.token` in a component is.
    'a string': () => `token-${auth.user}`,
    'a ref': () => toRef(() => `token-${auth.user}`),
    'a getter': () => () => `token-${auth.user}`,
    'an async getter': () => async () => {
      const user = auth.user
      await sleep(5)
      return `token-${user}`
    },
  }
  return { auth, forms }
}
const FORMS = Object.keys(authStore().forms)
const CHANGING_FORMS = FORMS.filter(form => form !== 'a string')

/** The user an `echo` event says the request was for. */
function userOf(data: string | null): string | null {
  if (data === null)
    return null
  const seen = JSON.parse(data) as { headers: Record<string, string> }
  return seen.headers.authorization?.replace('Bearer token-', '') ?? 'anonymous'
}

function usersSeen(key: string): string[] {
  return server.current.stats(key).requests.map(r => r.headers.authorization?.replace('Bearer token-', '') ?? 'anonymous')
}

/** Components, as effect scopes: mount() one that calls `use`, unmountAll() them (logout). */
function components() {
  const scopes: EffectScope[] = []
  return {
    mount<T>(use: () => T): T {
      const scope = effectScope()
      scopes.push(scope)
      return scope.run(use)!
    },
    unmountAll() {
      for (const scope of scopes.splice(0))
        scope.stop()
    },
  }
}

describe('a shared stream follows the signed-in user', () => {
  describe.each(FORMS)('with the token as %s', (form) => {
    // Promised in README.md (tests/fixtures/promises/).
    it('switching account within the keep-alive opens a new connection for the new user: no widget is served the previous user\'s stream', async () => {
      const key = uniqueKey()
      const registry = createSharedRegistry()
      const { auth, forms } = authStore()
      const url = server.current.route('echo', { key, hold: true })
      const app = components()
      const widgets = () => Array.from({ length: 3 }, () => app.mount(() => useSharedEventSource(url, { registry, token: forms[form]!(), keepAlive: 1500 })))
      const alice = widgets()
      await vi.waitFor(() => expect(alice.map(w => userOf(w.data.value))).toEqual(['alice', 'alice', 'alice']))
      expect(usersSeen(key)).toEqual(['alice'])
      // Logout (the widgets unmount), login as another user (they mount again), well inside the keep-alive.
      app.unmountAll()
      auth.user = 'bob'
      const bob = widgets()
      await vi.waitFor(() => expect(bob.map(w => userOf(w.data.value))).toEqual(['bob', 'bob', 'bob']))
      expect(usersSeen(key)).toEqual(['alice', 'bob'])
      expect(new Set(bob.map(w => w.key.value)).size).toBe(1)
      expect(bob[0]!.key.value).not.toContain('bob')
      app.unmountAll()
      registry.clear()
    })

    // Promised in README.md (tests/fixtures/promises/).
    it('two users on one page at once never share a connection', async () => {
      const key = uniqueKey()
      const registry = createSharedRegistry()
      const { auth, forms } = authStore()
      const url = server.current.route('echo', { key, hold: true })
      const app = components()
      const first = app.mount(() => useSharedEventSource(url, { registry, token: forms[form]!() }))
      await vi.waitFor(() => expect(userOf(first.data.value)).toBe('alice'))
      // A second auth store (another account in the same page: an admin's impersonation view).
      const other = authStore()
      other.auth.user = 'carol'
      const second = app.mount(() => useSharedEventSource(url, { registry, token: other.forms[form]!() }))
      await vi.waitFor(() => expect(userOf(second.data.value)).toBe('carol'))
      expect(usersSeen(key).sort()).toEqual(['alice', 'carol'])
      expect(userOf(first.data.value)).toBe('alice')
      expect(auth.user).toBe('alice')
      app.unmountAll()
      registry.clear()
    })
  })

  describe.each(CHANGING_FORMS)('with the token as %s', (form) => {
    it('a token that changes while the stream is open reconnects at once with the new one, resuming where it was', async () => {
      const key = uniqueKey()
      const registry = createSharedRegistry()
      const { auth, forms } = authStore()
      const app = components()
      const token = forms[form]!()
      const url = server.current.route('events', { key, count: 1000, interval: 20, hold: true })
      const widgets = Array.from({ length: 2 }, () => app.mount(() => useSharedEventSource(url, { registry, token })))
      const ids: string[] = []
      widgets[0]!.on('message', m => ids.push(m.lastEventId))
      await vi.waitFor(() => expect(ids.length).toBeGreaterThanOrEqual(3))
      auth.user = 'bob'
      await vi.waitFor(() => expect(usersSeen(key)).toEqual(['alice', 'bob']), { timeout: 500 })
      const resumed = server.current.stats(key).requests[1]!
      expect(Number(resumed.headers['last-event-id'])).toBeGreaterThanOrEqual(3)
      // The old connection, which no subscriber holds any more, closes without waiting for the keep-alive.
      await server.current.waitForOpen(key, 1, 500)
      const count = ids.length
      await vi.waitFor(() => expect(ids.length).toBeGreaterThan(count + 3))
      expect(ids.map(Number)).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1))
      expect(new Set(widgets.map(w => w.key.value)).size).toBe(1)
      app.unmountAll()
      registry.clear()
    })

    it('defineEventSource with this token follows the user too', async () => {
      const key = uniqueKey()
      const registry = createSharedRegistry()
      const { auth, forms } = authStore()
      const useFeed = defineEventSource(server.current.route('echo', { key, hold: true }), { registry, token: forms[form]!() })
      const app = components()
      const feeds = [app.mount(() => useFeed()), app.mount(() => useFeed())]
      await vi.waitFor(() => expect(feeds.map(f => userOf(f.data.value))).toEqual(['alice', 'alice']))
      app.unmountAll()
      auth.user = 'bob'
      const again = [app.mount(() => useFeed()), app.mount(() => useFeed())]
      await vi.waitFor(() => expect(again.map(f => userOf(f.data.value))).toEqual(['bob', 'bob']))
      auth.user = 'dave'
      await vi.waitFor(() => expect(again.map(f => userOf(f.data.value))).toEqual(['dave', 'dave']))
      expect(usersSeen(key)).toEqual(['alice', 'bob', 'dave'])
      app.unmountAll()
      registry.clear()
    })
  })

  it('headers that change reconnect, and subscribers with other headers never share', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const url = server.current.route('echo', { key, hold: true })
    const app = components()
    const headers = ref<Record<string, string>>({ 'x-api-key': 'one' })
    const a = app.mount(() => useSharedEventSource(url, { registry, headers }))
    const b = app.mount(() => useSharedEventSource(url, { registry, headers: { 'x-api-key': 'two' } }))
    await vi.waitFor(() => expect(server.current.stats(key).requests.map(r => r.headers['x-api-key']).sort()).toEqual(['one', 'two']))
    expect(a.key.value).not.toBe(b.key.value)
    expect(a.key.value).not.toContain('one')
    headers.value = { 'x-api-key': 'two' }
    await vi.waitFor(() => expect(a.key.value).toBe(b.key.value))
    // It joined the connection of the same credentials: no new request.
    await sleep(50)
    expect(server.current.stats(key).requests).toHaveLength(2)
    await server.current.waitForOpen(key, 1, 500)
    app.unmountAll()
    registry.clear()
  })
})

describe('a plain stream follows the signed-in user', () => {
  describe.each(CHANGING_FORMS)('with the token as %s', (form) => {
    // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
    it('a token that changes while the stream is open reconnects with the new one', async () => {
      const key = uniqueKey()
      const { auth, forms } = authStore()
      const app = components()
      const stream = app.mount(() => useEventSource(server.current.route('echo', { key, hold: true }), { token: forms[form]!() }))
      await vi.waitFor(() => expect(userOf(stream.data.value)).toBe('alice'))
      auth.user = 'bob'
      await vi.waitFor(() => expect(userOf(stream.data.value)).toBe('bob'), { timeout: 500 })
      await server.current.waitForOpen(key, 1, 500)
      expect(usersSeen(key)).toEqual(['alice', 'bob'])
      app.unmountAll()
    })

    // Promised in docs/guide/api.md (tests/fixtures/promises/).
    it('a change of what the getter reads that leaves the token as it was does not reconnect', async () => {
      const key = uniqueKey()
      const auth = reactive({ user: 'alice', theme: 'light' })
      const token: TokenOption = form === 'a ref'
        ? toRef(() => `token-${auth.user}${auth.theme === '' ? '!' : ''}`)
        : form === 'a getter' ? () => `token-${auth.user}${auth.theme === '' ? '!' : ''}` : async () => `token-${auth.user}${auth.theme === '' ? '!' : ''}`
      const app = components()
      const stream = app.mount(() => useEventSource(server.current.route('echo', { key, hold: true }), { token }))
      await vi.waitFor(() => expect(userOf(stream.data.value)).toBe('alice'))
      auth.theme = 'dark'
      await sleep(100)
      expect(usersSeen(key)).toEqual(['alice'])
      app.unmountAll()
    })
  })
})

describe('a request that is not GET is sent by open() only', () => {
  describe.each(FORMS)('with the token as %s', (form) => {
    // Promised in README.md and docs/guide/api.md (tests/fixtures/promises/).
    it.each(['plain', 'shared'])('%s: a new user, body or header is read by the next open(), never a reason to send', async (kind) => {
      const key = uniqueKey()
      const registry = createSharedRegistry()
      const { auth, forms } = authStore()
      const app = components()
      const prompt = ref('first')
      const headers = ref({ 'x-chat': '1' })
      const options = { method: 'POST', immediate: false, body: () => ({ prompt: prompt.value }), headers, token: forms[form]!() }
      const chat = app.mount(() => kind === 'plain' ? useEventSource(server.current.route('echo', { key, hold: true }), options) : useSharedEventSource(server.current.route('echo', { key, hold: true }), { ...options, registry }))
      chat.open()
      await vi.waitFor(() => expect(userOf(chat.data.value)).toBe('alice'))
      // Typing, a header change and another user signing in, while the answer streams.
      prompt.value = 'second'
      headers.value = { 'x-chat': '2' }
      auth.user = 'bob'
      await sleep(150)
      expect(server.current.stats(key).requests).toHaveLength(1)
      expect(chat.status.value).toBe('OPEN')
      chat.open()
      await vi.waitFor(() => expect(server.current.stats(key).requests).toHaveLength(2))
      const [first, second] = server.current.stats(key).requests
      expect([JSON.parse(first!.body).prompt, first!.headers['x-chat']]).toEqual(['first', '1'])
      expect([JSON.parse(second!.body).prompt, second!.headers['x-chat']]).toEqual(['second', '2'])
      // A string token is read where the subscriber was made: the new user comes with a new subscriber.
      expect(usersSeen(key)).toEqual(form === 'a string' ? ['alice', 'alice'] : ['alice', 'bob'])
      await sleep(50)
      expect(server.current.stats(key).requests).toHaveLength(2)
      app.unmountAll()
      registry.clear()
    })
  })
})

// docs/guide/shared.md: "With an async getter, a subscriber learns whose it is once the getter answers, and
// until then follows nothing (or, after a change, the stream it had)."
describe('a shared stream with an async token getter', () => {
  it('follows nothing until the getter answers, and after a change the stream it had until the new answer comes', async () => {
    const key = uniqueKey()
    const registry = createSharedRegistry()
    const auth = reactive({ user: 'alice' })
    // Each user's token is issued when the test says so.
    const issue: Record<string, () => void> = {}
    const issued = Object.fromEntries(['alice', 'bob'].map(user => [user, new Promise<void>((resolve) => {
      issue[user] = resolve
    })]))
    const token = async (): Promise<string> => {
      const user = auth.user
      await issued[user]
      return `token-${user}`
    }
    const app = components()
    const widget = app.mount(() => useSharedEventSource(server.current.route('echo', { key, hold: true }), { registry, token }))
    await sleep(50)
    expect([widget.key.value, widget.status.value, server.current.stats(key).requests.length]).toEqual(['', 'CLOSED', 0])
    issue.alice!()
    await vi.waitFor(() => expect(userOf(widget.data.value)).toBe('alice'))
    const alices = widget.key.value
    auth.user = 'bob'
    await sleep(50)
    expect([widget.key.value, widget.status.value, userOf(widget.data.value)]).toEqual([alices, 'OPEN', 'alice'])
    expect(usersSeen(key)).toEqual(['alice'])
    issue.bob!()
    await vi.waitFor(() => expect(userOf(widget.data.value)).toBe('bob'))
    expect(widget.key.value).not.toBe(alices)
    expect(usersSeen(key)).toEqual(['alice', 'bob'])
    app.unmountAll()
    registry.clear()
  })
})

// Found by a new user's app (issue 28): with widgets that stay mounted across a logout and a login, the
// next user's first request carried the previous user's Last-Event-ID, so a server numbering each user's
// events skipped the new user's first ones. A rotation (a token for a token) is the same user and resumes;
// across a sign-out or sign-in (no token on one side) the position was another identity's.
describe('the stream\'s position belongs to one identity', () => {
  describe.each(CHANGING_FORMS)('with the token as %s', (form) => {
    it.each(['plain', 'shared'])('%s: a rotation resumes with Last-Event-ID; a sign-out and a sign-in start afresh', async (kind) => {
      const key = uniqueKey()
      const registry = createSharedRegistry()
      const auth = reactive<{ token: string | null }>({ token: 'alice-1' })
      const token: TokenOption = form === 'a ref'
        ? toRef(() => auth.token)
        : form === 'a getter' ? () => auth.token : async () => auth.token
      const url = server.current.route('events', { key, count: 100_000, interval: 15, hold: true })
      const app = components()
      const stream = app.mount(() => kind === 'plain' ? useEventSource(url, { token }) : useSharedEventSource(url, { registry, token }))
      const requests = () => server.current.stats(key).requests.map(r => [r.headers.authorization ?? 'none', r.headers['last-event-id'] ?? 'none'])
      await vi.waitFor(() => expect(Number(stream.lastEventId.value)).toBeGreaterThanOrEqual(3))
      auth.token = 'alice-2'
      await vi.waitFor(() => expect(requests()).toHaveLength(2))
      await vi.waitFor(() => expect(Number(stream.lastEventId.value)).toBeGreaterThanOrEqual(6))
      auth.token = null
      await vi.waitFor(() => expect(requests()).toHaveLength(3))
      await vi.waitFor(() => expect(Number(stream.lastEventId.value)).toBeGreaterThanOrEqual(2))
      auth.token = 'bob-1'
      await vi.waitFor(() => expect(requests()).toHaveLength(4))
      const seen = requests()
      expect(seen[0]).toEqual(['Bearer alice-1', 'none'])
      expect(seen[1]![0]).toBe('Bearer alice-2')
      expect(Number(seen[1]![1])).toBeGreaterThanOrEqual(3)
      expect(seen.slice(2)).toEqual([['none', 'none'], ['Bearer bob-1', 'none']])
      app.unmountAll()
      registry.clear()
    })
  })
})

// Found in the audit of docs/guide/shared.md ("A getter's own refresh after a 401 is no change"): a shared
// subscriber whose auth store the getter's refresh updated moved to a new connection for the fresh token,
// replacing the one that had just refreshed with it.
describe('a token getter that refreshes after a 401', () => {
  it.each(['plain', 'shared'])('%s: a getter\'s own refresh is no change: one refused request, one with the fresh token, and no other', async (kind) => {
    const key = uniqueKey()
    server.current.tokens.add('fresh-token')
    const registry = createSharedRegistry()
    const auth = reactive({ accessToken: 'expired-token' })
    const token = async ({ refresh }: { refresh: boolean }): Promise<string> => {
      if (refresh) {
        await sleep(5)
        return auth.accessToken = 'fresh-token'
      }
      const current = auth.accessToken
      await sleep(20)
      return current
    }
    const url = server.current.route('authed', { key, count: 1000, interval: 20 })
    const app = components()
    const widgets = [app.mount(() => kind === 'plain' ? useEventSource(url, { token }) : useSharedEventSource(url, { registry, token }))]
    if (kind === 'shared')
      widgets.push(app.mount(() => useSharedEventSource(url, { registry, token })))
    await vi.waitFor(() => expect(widgets.map(w => w.status.value)).toEqual(widgets.map(() => 'OPEN')))
    await sleep(200)
    expect(server.current.stats(key).requests.map(r => r.headers.authorization)).toEqual(['Bearer expired-token', 'Bearer fresh-token'])
    expect(widgets.every(w => w.status.value === 'OPEN')).toBe(true)
    app.unmountAll()
    registry.clear()
  })
})
