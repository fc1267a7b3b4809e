import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './ports'

/**
 * Starts Debian's redis-server on a free 127.0.0.1 port, in a temporary directory, with nothing saved to disk:
 * the store the resumable-stream package keeps its streams in (tests/fixtures/servers/runs/).
 */
export async function startRedis(): Promise<{ url: string, close: () => Promise<void> }> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'redis-'))
  const redis: ChildProcess = spawn(
    existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server',
    ['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--port', String(port), '--dir', dir],
    { cwd: dir, stdio: 'ignore' },
  )
  const exited = new Promise<void>(resolve => redis.once('exit', () => resolve()))
  // A missing binary is an 'error' event, not an exit: without a listener it would crash the test process.
  let spawnError: Error | undefined
  redis.once('error', (error) => {
    spawnError = error
  })
  const deadline = Date.now() + 10_000
  while (!await answersPing(port)) {
    if (spawnError || redis.exitCode !== null || Date.now() > deadline) {
      redis.kill()
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`redis-server did not start (is Debian's redis-server installed? .ci/run installs it)${spawnError ? `: ${spawnError.message}` : ''}`)
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async close() {
      if (redis.exitCode === null && redis.signalCode === null) {
        redis.kill()
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Whether a Redis on `port` answers an inline PING with +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.on('data', (data) => {
      reply += data.toString('latin1')
      if (reply.includes('\r\n'))
        done(reply.startsWith('+PONG'))
    })
    socket.once('connect', () => socket.write('PING\r\n'))
  })
}
