/**
 * A fetch whose response body hands the stream on piece by piece and samples the live heap (`sample`,
 * which runs a full GC) every `every` reads: only when the reader asks for more, i.e. after it has dealt
 * with the previous piece.
 */
export function sampledFetch(fetch: typeof globalThis.fetch, sample: () => void, every: number): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init)
    const upstream = response.body!.getReader()
    let reads = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (reads++ % every === 0)
          sample()
        const { done, value } = await upstream.read()
        if (done)
          controller.close()
        else
          controller.enqueue(value)
      },
      cancel: reason => upstream.cancel(reason),
    }, { highWaterMark: 0 })
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
}

/** Tracks the highest live heap seen above the heap before the run. */
export function heapWatch(liveHeap: () => number): { sample: () => void, peak: () => number, samples: () => number } {
  const baseline = liveHeap()
  let peak = 0
  let samples = 0
  return {
    sample() {
      samples++
      peak = Math.max(peak, liveHeap() - baseline)
    },
    peak: () => peak,
    samples: () => samples,
  }
}
