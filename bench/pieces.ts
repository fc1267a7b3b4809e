/**
 * A fetch whose response body is cut into reads of at most `piece` bytes, so a client reads a big event
 * in the same small pieces on every platform (a local socket would otherwise hand over hundreds of KiB
 * at a time). The pieces are views of the received chunks: no copy.
 */
export function piecewiseFetch(fetch: typeof globalThis.fetch, piece: number): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init)
    const upstream = response.body!.getReader()
    let chunk: Uint8Array | null = null
    let offset = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (chunk === null || offset >= chunk.length) {
          const { done, value } = await upstream.read()
          if (done) {
            controller.close()
            return
          }
          chunk = value
          offset = 0
        }
        controller.enqueue(chunk.subarray(offset, offset + piece))
        offset += piece
      },
      cancel: reason => upstream.cancel(reason),
    }, { highWaterMark: 0 })
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
}
