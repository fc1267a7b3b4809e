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
