import { describe, expect, it } from 'vitest'
import { compare, disagreements, stream } from './differential'

const RECONNECTING = 'error (reconnecting)'
const CLOSED = 'error (closed)'

// Each script is served to Chromium's EventSource and to ours; past its end the server answers 204.
// docs/spec.md: what follows the spec (Last-Event-ID, retry:, 204, the content type), and the departures.
describe('the native EventSource of Chromium and ours reconnect the same way', () => {
  it('both carry the last event ID into the next stream, and send it as Last-Event-ID', async () => {
    const run = await compare([stream('retry: 10\nid: 5\ndata: a\n\n'), stream('data: b\n\nid: 6\n\n')])
    expect(disagreements(run, [10, 10])).toEqual([])
    expect(run.ours.events).toEqual([['message', 'a', '5'], ['message', 'b', '5']])
    expect(run.ours.lastEventIds).toEqual([null, '5', '6'])
  })

  it('both stop sending Last-Event-ID after an empty id', async () => {
    const run = await compare([stream('retry: 10\nid: 5\ndata: a\n\nid\ndata: b\n\n')])
    expect(disagreements(run, [10])).toEqual([])
    expect(run.ours.lastEventIds).toEqual([null, null])
  })

  it('both send the id of a block without data, committed at its blank line, but not an id whose block never ended', async () => {
    const run = await compare([stream('retry: 10\nid: 7\n\nid: 8\n')])
    expect(disagreements(run, [10])).toEqual([])
    expect(run.ours.lastEventIds).toEqual([null, '7'])
  })

  it('both wait at least the retry: time before reconnecting, the last valid retry: winning', async () => {
    const run = await compare([stream('retry: 50\nretry: 300\nretry: 5x\ndata: a\n\n')])
    expect(disagreements(run, [300])).toEqual([])
    expect(run.ours.gaps[0]).toBeGreaterThanOrEqual(300)
  })

  it('both discard an event cut off mid-way and resume after the last whole one; both signal an error', async () => {
    // The cut comes 100 ms after the bytes. Within a few ms of them it is a race in Chromium's fetch: a body
    // stream that fails drops the chunks not yet read, so ours may lose the whole events in them too. It then
    // never acknowledges them (Last-Event-ID stays before them) and a resuming server sends them again;
    // the chaos suite cuts streams at every point and loses nothing.
    const run = await compare([{ ...stream('retry: 10\nid: 1\ndata: a\n\nid: 2\ndata: half'), cutAfter: 100 }, stream('data: b\n\n')])
    expect(disagreements(run, [10, 10])).toEqual([])
    expect(run.ours.events).toEqual([['message', 'a', '1'], ['message', 'b', '1']])
    expect(run.ours.lastEventIds).toEqual([null, '1', '1'])
    expect(run.native.errors).toEqual([RECONNECTING, RECONNECTING, CLOSED])
    expect(run.ours.errors).toEqual(['network'])
  })

  it('both stop for good on 204; [NON-SPEC] Chromium fires error, ours reports none (the server meant to stop)', async () => {
    const run = await compare([{ status: 204 }, stream('data: never\n\n')])
    expect(disagreements(run, [])).toEqual([])
    expect(run.ours.lastEventIds).toEqual([null])
    expect(run.native.errors).toEqual([CLOSED])
    expect(run.ours.errors).toEqual([])
  })

  it('both fail for good on a 200 that is not text/event-stream', async () => {
    const run = await compare([{ ...stream('data: x\n\n'), contentType: 'text/plain' }, stream('data: never\n\n')])
    expect(disagreements(run, [])).toEqual([])
    expect(run.ours.lastEventIds).toEqual([null])
    expect(run.native.errors).toEqual([CLOSED])
    expect(run.ours.errors).toEqual(['content-type'])
  })

  it('both accept text/event-stream in any letter case, with spaces and a UTF-8 charset', async () => {
    for (const contentType of ['Text/Event-Stream', ' text/event-stream ', 'text/event-stream;charset=UTF-8']) {
      const run = await compare([{ ...stream('retry: 10\ndata: a\n\n'), contentType }])
      expect(disagreements(run, [10]), contentType).toEqual([])
      expect(run.ours.events, contentType).toEqual([['message', 'a', '']])
    }
  })

  it('both fail for good on a 404', async () => {
    const run = await compare([{ status: 404 }, stream('data: never\n\n')])
    expect(disagreements(run, [])).toEqual([])
    expect(run.ours.lastEventIds).toEqual([null])
    expect(run.ours.errors).toEqual(['http-status'])
  })

  it('[NON-SPEC] ours retries a 503 with backoff and resumes, where Chromium gives up at once', async () => {
    const run = await compare([{ status: 503 }, stream('retry: 10\ndata: a\n\n')])
    expect(run.native.lastEventIds).toEqual([null])
    expect(run.native.events).toEqual([])
    expect(run.native.errors).toEqual([CLOSED])
    expect(run.ours.lastEventIds).toEqual([null, null, null])
    expect(run.ours.events).toEqual([['message', 'a', '']])
    expect(run.ours.errors).toEqual(['http-status'])
  })

  it('chromium fails a stream whose charset is not UTF-8, where the spec (and ours) reads every stream as UTF-8', async () => {
    // 9.2.6: "Event streams are always decoded as UTF-8"; the MIME type's essence is what is checked.
    const run = await compare([{ ...stream('retry: 10\ndata: é\n\n'), contentType: 'text/event-stream; charset=iso-8859-1' }])
    expect(run.native.events).toEqual([])
    expect(run.native.errors).toEqual([CLOSED])
    expect(run.ours.events).toEqual([['message', 'é', '']])
    expect(run.ours.lastEventIds).toEqual([null, null])
  })

  it('after a retry: of 2^32 ms neither reconnects soon; [NON-SPEC] ours waits 24.8 days, the longest a timer can', async () => {
    const run = await compare([stream('retry: 10\n\n'), stream(`retry: ${2 ** 32}\ndata: a\n\n`)], undefined, 500)
    expect(run.native.lastEventIds).toEqual([null, null])
    expect(run.ours.lastEventIds).toEqual([null, null])
    expect(run.ours.events).toEqual(run.native.events)
  })
})
