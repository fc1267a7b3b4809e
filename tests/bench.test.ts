import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

/** Runs a command to its end and returns its exit code and combined output. */
function run(command: string, args: string[]): Promise<{ code: number | null, output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text))
    child.on('error', reject)
    child.on('close', code => resolve({ code, output }))
  })
}

// The benchmark's own smoke run: tiny workloads through every client in Node and in Chromium, each
// checked for its exact count, checksum and last event ID, plus the size budget. No timing is asserted.
describe('npm run bench -- --smoke', () => {
  it('every client delivers every workload exactly, in Node and in Chromium, and the bundle fits its budget', async () => {
    const { code, output } = await run('npm', ['run', 'bench', '--', '--smoke'])
    expect(output).toContain('Every client delivered the exact count, checksum and last event ID in every run.')
    expect(output).not.toContain('FAILED')
    expect(code, output.slice(-3000)).toBe(0)
  }, 180_000)
})

// The chat workload's smoke run: the AI SDK's UI message stream of 2,000 text deltas into a message list,
// through `useEventSource` with the docs' chat recipe and through @ai-sdk/vue's `useChat`, one round in
// Chromium; each run checked for every delta, once and in order, in the list. No timing is asserted.
describe('npm run bench -- --chat --smoke', () => {
  it('both chats, ours and useChat, render every text delta of the AI SDK\'s stream exactly', async () => {
    const { code, output } = await run('npm', ['run', 'bench', '--', '--chat', '--smoke'])
    expect(output).toContain('Both chat clients delivered every delta exactly in every run.')
    expect(output).not.toContain('FAILED')
    expect(code, output.slice(-3000)).toBe(0)
  }, 180_000)
})
