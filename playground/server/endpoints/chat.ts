import type { Endpoint } from '../sse.ts'
import { every, frame, json, readBody, startStream } from '../sse.ts'

const requestsPerMessage = new Map<string, number>()

/**
 * `POST` `{ id, prompt }`: streams an answer word by word as `data: {"token": …}`, then `data: [DONE]`,
 * then ends, as an LLM API does. `GET log` counts the requests each message id caused.
 */
export const chat: Endpoint = (req, res, _url, path) => {
  if (path === '/log')
    return json(res, Object.fromEntries(requestsPerMessage))
  if (req.method !== 'POST')
    return json(res, { error: 'POST a JSON body { id, prompt }' }, 405)
  void readBody(req).then((body) => {
    let message: { id?: string, prompt?: string }
    try {
      message = JSON.parse(body) as { id?: string, prompt?: string }
    }
    catch {
      return json(res, { error: 'the body is not JSON' }, 400)
    }
    const id = String(message.id ?? 'unknown')
    requestsPerMessage.set(id, (requestsPerMessage.get(id) ?? 0) + 1)
    const words = `You asked: “${message.prompt ?? ''}”. Here is the answer, streamed one token at a time, as a language model sends it.`.split(' ')
    startStream(res)
    let i = 0
    every(req, 60, () => {
      if (i < words.length) {
        res.write(frame({ data: JSON.stringify({ token: (i === 0 ? '' : ' ') + words[i] }) }))
        i++
        return
      }
      res.end(frame({ data: '[DONE]' }))
      return false
    })
  })
}
