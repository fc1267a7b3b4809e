import type { BrowserCommand } from 'vitest/node'

/** Minimizes the browser window (the page's `visibilityState` becomes hidden), or restores it. */
export const setHidden: BrowserCommand<[hidden: boolean]> = async ({ context, page }, hidden) => {
  const session = await context.newCDPSession(page)
  try {
    const { windowId } = await session.send('Browser.getWindowForTarget')
    await session.send('Browser.setWindowBounds', { windowId, bounds: { windowState: hidden ? 'minimized' : 'normal' } })
  }
  finally {
    await session.detach()
  }
}
