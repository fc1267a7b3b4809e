import type { Component } from 'vue'
import { createRenderer } from 'vue'

/** A node of the in-memory tree that components render into in Node, where there is no DOM. */
interface TreeNode {
  tag: string
  text: string
  parent: TreeNode | null
  children: TreeNode[]
  props: Record<string, unknown>
}

const node = (tag: string, text = ''): TreeNode => ({ tag, text, parent: null, children: [], props: {} })

function detach(child: TreeNode): void {
  const siblings = child.parent?.children
  if (siblings !== undefined)
    siblings.splice(siblings.indexOf(child), 1)
  child.parent = null
}

/** Vue's renderer over plain objects: every patch Vue would make to the DOM is made to this tree. */
const renderer = createRenderer<TreeNode, TreeNode>({
  createElement: tag => node(tag),
  createText: text => node('#text', text),
  createComment: text => node('#comment', text),
  setText(target, text) {
    target.text = text
  },
  setElementText(element, text) {
    for (const child of element.children)
      child.parent = null
    element.children = []
    if (text !== '') {
      const child = node('#text', text)
      child.parent = element
      element.children.push(child)
    }
  },
  insert(child, parent, anchor) {
    detach(child)
    const at = anchor == null ? -1 : parent.children.indexOf(anchor)
    parent.children.splice(at === -1 ? parent.children.length : at, 0, child)
    child.parent = parent
  },
  remove: detach,
  parentNode: target => target.parent,
  nextSibling(target) {
    const siblings = target.parent?.children
    return siblings?.[siblings.indexOf(target) + 1] ?? null
  },
  patchProp(element, key, _previous, next) {
    element.props[key] = next
  },
})

/** Mounts `component` into a fresh tree; returns its unmount. */
export function mountInTree(component: Component): () => void {
  const app = renderer.createApp(component)
  app.mount(node('root'))
  return () => app.unmount()
}
