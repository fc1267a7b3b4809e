// A Nitro route that streams with h3's own event-stream utilities: an event `tick` every 100 ms, with an
// id, resuming after the Last-Event-ID the client sends.
export default defineEventHandler((event) => {
  const from = Number(getHeader(event, 'last-event-id') ?? 0)
  const stream = createEventStream(event)
  let n = Number.isInteger(from) ? from : 0
  const timer = setInterval(() => {
    n++
    void stream.push({ id: String(n), event: 'tick', data: JSON.stringify({ n }) })
  }, 100)
  stream.onClosed(() => clearInterval(timer))
  return stream.send()
})
