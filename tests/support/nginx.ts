import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './ports'

/**
 * Starts Debian's nginx in front of `upstream`, with its own prefix and config, on a free 127.0.0.1 port:
 * `/gzip/` with gzip on for text/event-stream and proxy_buffering on (nginx then holds even the
 * headers), `/gzip-unbuffered/` with gzip but proxy_buffering off, `/buffered/` with proxy_buffering but no
 * gzip, `/fixed/` with neither.
 */
export async function startNginx(upstream: string): Promise<{ url: string, close: () => void }> {
  const port = await freePort()
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-'))
  mkdirSync(join(prefix, 'logs'))
  const conf = join(prefix, 'nginx.conf')
  writeFileSync(conf, `
daemon off;
master_process off;
error_log ${prefix}/logs/error.log warn;
pid ${prefix}/nginx.pid;
events {}
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    proxy_http_version 1.1;
    proxy_set_header Connection '';
    location /gzip/ { proxy_pass ${upstream}/; proxy_buffering on; gzip on; gzip_types text/event-stream; gzip_min_length 0; }
    location /gzip-unbuffered/ { proxy_pass ${upstream}/; proxy_buffering off; gzip on; gzip_types text/event-stream; gzip_min_length 0; }
    location /buffered/ { proxy_pass ${upstream}/; proxy_buffering on; gzip off; }
    location /fixed/ { proxy_pass ${upstream}/; proxy_buffering off; gzip off; }
  }
}
`)
  const nginx: ChildProcess = spawn(existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', ['-c', conf, '-p', prefix], { stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  while (true) {
    try {
      if ((await fetch(`${url}/fixed/_stats?key=probe`)).ok)
        break
    }
    catch {}
    if (Date.now() > deadline)
      throw new Error('nginx did not start (is Debian\'s nginx installed? .ci/run installs it)')
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return { url, close: () => nginx.kill() }
}
