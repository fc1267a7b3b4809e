import type { UIMessage } from 'ai'
import { useChat } from '@ai-sdk/vue'
import { DefaultChatTransport } from 'ai'
import { defineComponent, h, ref, watch } from 'vue'
import { useEventSource } from '../../src/index'

// The two chats of the chat workload, each a component that renders the same message list
// (`<ul><li data-role="user">…</li><li data-role="assistant">…</li></ul>`) and exposes `send(text)`, which
// resolves with the number of text deltas its handler saw (ours) or null (theirs: useChat gives no hook per
// delta; its final text, unique words in order, shows every delta arrived once). Render functions, as the
// page is built without the SFC compiler; what they render is what the recipe's template renders.

/** What `send` resolves with. */
export interface ChatHandle {
  send: (text: string) => Promise<number | null>
}

/** A part of the AI SDK's UI message stream, as the recipe types it: only text deltas are read. */
interface UIChunk {
  type: string
  delta?: string
}

const userMessage = (text: string): UIMessage => ({ id: 'u1', role: 'user', parts: [{ type: 'text', text }] })

function list(messages: { id: string, role: string, text: string }[]): ReturnType<typeof h> {
  return h('ul', messages.map(message => h('li', { 'key': message.id, 'data-role': message.role }, message.text)))
}

/** docs/guide/recipes.md, "A chat": `useEventSource` with `parse: 'json'` and `closeData: '[DONE]'`, the text deltas appended to the answer. */
export const OursChat = defineComponent({
  props: { api: { type: String, required: true } },
  setup(props, { expose }) {
    const input = ref('')
    const answer = ref('')
    const { on, open, done, error } = useEventSource<UIChunk>(props.api, {
      method: 'POST',
      body: () => ({ messages: [userMessage(input.value)] }),
      immediate: false,
      parse: 'json',
      closeData: '[DONE]',
    })
    let deltas = 0
    on('message', ({ data }) => {
      if (data.type === 'text-delta') {
        answer.value += data.delta
        deltas++
      }
    })
    let settle: { resolve: (deltas: number) => void, reject: (error: unknown) => void } | null = null
    watch([done, error], ([isDone, failed]) => {
      if (failed !== null)
        settle?.reject(failed)
      else if (isDone)
        settle?.resolve(deltas)
    })
    expose({
      send(text: string): Promise<number | null> {
        input.value = text
        answer.value = ''
        deltas = 0
        const result = new Promise<number>((resolve, reject) => (settle = { resolve, reject }))
        open()
        return result
      },
    } satisfies ChatHandle)
    return () => list([{ id: 'u1', role: 'user', text: input.value }, { id: 'a1', role: 'assistant', text: answer.value }])
  },
})

/** @ai-sdk/vue's `useChat`, as its docs show it, on the same route (`DefaultChatTransport`, no throttle, the default). */
export const TheirsChat = defineComponent({
  props: { api: { type: String, required: true } },
  setup(props, { expose }) {
    const { messages, sendMessage, status, error } = useChat({ transport: new DefaultChatTransport({ api: props.api }) })
    expose({
      async send(text: string): Promise<number | null> {
        await sendMessage({ text })
        if (status.value !== 'ready')
          throw error.value ?? new Error(`useChat ended ${status.value}`)
        return null
      },
    } satisfies ChatHandle)
    return () => list(messages.value.map(message => ({
      id: message.id,
      role: message.role,
      text: message.parts.map(part => (part.type === 'text' ? part.text : '')).join(''),
    })))
  },
})
