/**
 * The smallest fetch loop that decodes a body: hands every decoded piece to `feed` until the body ends
 * or `feed` returns true (then the rest of the body is cancelled).
 */
export async function readText(fetch: typeof globalThis.fetch, url: string, feed: (text: string) => boolean | void): Promise<void> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' } })
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  while (true) {
    const { done, value } = await reader.read()
    if (done)
      return
    if (feed(decoder.decode(value, { stream: true }))) {
      void reader.cancel().catch(() => {})
      return
    }
  }
}
