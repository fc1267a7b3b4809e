/** The "How it was measured" section of RESULTS.md: what every number above means. */
export const METHOD = `## How it was measured

- **Server.** Node's \`http\` on 127.0.0.1, on its own thread. Every workload's bytes are generated once at
  start from a fixed pseudo-random sequence, so every run streams the same bytes; a stream is written
  with one \`end()\`, the one-event streams in 16 KiB writes, the bursts as their events fall due.
- **Timing.** A run is timed from creating the client to its last event (for the rendering clients,
  until the render that follows it); the raw read from \`fetch()\` to the end of the body, without
  decoding. A full GC runs before every run. One warm-up pass over smaller versions of the workloads is
  not recorded; then every round runs every workload through every client, the raw read included, in
  an order that rotates each round. Each ratio is a run's time divided by the raw read's time in the
  same round (the targets divide by eventsource-parser's, or ours, likewise); tables give the median
  over rounds and the min–max.
- **Checks.** Every run must deliver the exact count, the same order-sensitive checksum (each event's
  data length and last 8 characters, where every workload puts the event's number, folded in order) and
  the last event ID; otherwise the run fails and \`npm run bench\` exits non-zero.
- **How each client counts.** Ours: an \`on(type)\` handler. \`useEventSource\` (refs): the same, in a
  mounted component with the default \`flush: 'sync'\`, so the handler runs after \`data\`, \`event\` and
  \`lastEventId\` are set and folds the \`data\` ref. VueUse: a listener added to the \`EventSource\` it
  exposes, which runs after VueUse's own (which set its refs) and folds VueUse's \`data\` ref (a watcher
  on \`data\` would miss identical consecutive payloads); VueUse 14 and 15 the same way. Native, our
  drop-in \`EventSource\`, the \`eventsource\` package and event-source-polyfill: \`addEventListener\`,
  each with its defaults, but for the run's \`fetch\` (the drop-in and \`eventsource\`) and, as for our
  other clients, no reconnection (the drop-in).
  fetch-event-source and our drop-in \`fetchEventSource\`: \`onmessage\`, with \`openWhenHidden\`.
  eventsource-parser: \`onEvent\` in a fetch, TextDecoder and \`feed\` loop, the base of the targets.
  The floor is not a client: it decodes, finds every LF and slices the \`data:\`/\`id:\` values the
  workloads send, with no other field, CR, comment or limit handled, so no conformant parser can beat it.
  "+ render": the component also renders \`data\` in a \`<p>\` (real DOM in Chromium; in Node, Vue's
  \`createRenderer\` over plain objects). With 256 KiB events that means laying out 256 KiB of text at
  every frame the run spans, which dominates both "+ render" columns in that row.
- **One big event.** The fetch-based clients, and the raw read, read the body in 16 KiB pieces (their
  fetch is wrapped to cut every read to 16 KiB). The browser's \`EventSource\` cannot be given pieces, so
  it and VueUse sit that row out (—), as does event-source-polyfill, which reads with the \`fetch\` it
  found when it loaded. Our drop-in \`EventSource\` and \`fetchEventSource\` keep the core's default
  \`maxEventSize\` (the APIs they copy have no option for it), so they sit out an event above it.
- **Builds.** The Chromium page is a Vite production build (Vue's production build, every library
  minified as an app ships it); Node loads Vue with \`NODE_ENV=production\`. Chromium is started directly
  with \`--headless\`, no DevTools protocol session (whose Network domain slows native EventSource about
  10×); the page POSTs its results to the bench server.
- **Node.** Node 20 has no \`EventSource\`, so native, VueUse and event-source-polyfill are Chromium-only.
  fetch-event-source's cleanup calls \`document.removeEventListener\` and \`window.clearTimeout\`, so its
  Node runs get stand-ins for \`window\` and \`document\`.
- **Memory.** The live heap after a full GC, sampled at every 16th read and at the last event, minus the
  heap before the run, divided by the event's size. Node: \`heapUsed + external\` (ArrayBuffers and
  external strings included); Chromium: \`performance.memory.usedJSHeapSize\` with
  \`--enable-precise-memory-info\` (ArrayBuffers included, but not the characters of a string V8 keeps
  outside its heap). Where the two disagree, Node's figure, which counts external strings, is the safer.
- **Bursts.** The server writes the events that are due every ~1 ms, at the given rate; the data repeats
  in pairs (\`{"v":1}\` twice, then \`{"v":2}\` twice…) and every event has its own \`id\`. An
  \`on('message')\` handler folds every event's data and id; a sync watcher counts the changes of the
  \`data\` ref (so a repeated payload is not a change); \`onUpdated\` counts renders. A render happens at
  most once per task in every mode, as Vue batches them; what \`flush\` changes is how often the refs,
  and so every watcher and computed on them, change.
- **Charts.** bench/results-chromium.svg and bench/results-node.svg draw each "Time as a ratio to the
  raw read" table: a bar per client (the median), a line for the min–max, on a log scale (bench/chart.ts).
- **Load.** The machine may be shared; the load average before and after the run is in the table above.
  Ratios within a round cancel much of it, not all: a busy machine widens the min–max.
`
