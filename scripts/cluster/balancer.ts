/**
 * HAProxy (Debian `haproxy`) in front of several app servers, on loopback: round robin, health
 * checks on /api/health every 500 ms, a request whose connection cannot be made is sent to another
 * server (`retry-on conn-failure` + `option redispatch`: nothing was sent, so a write cannot be
 * applied twice), and each answer names its server in `X-Atlas-Server`. Used by
 * tests/scale/balancer.test.ts; the configuration is the one documented in docs/scaling.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const HAPROXY = '/usr/sbin/haproxy';

/** The configuration for `port` in front of `backends` (name → port). */
export function haproxyConfig(port: number, backends: Record<string, number>): string {
  return [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  retries 3',
    '  option redispatch',
    '  retry-on conn-failure',
    'frontend atlas',
    `  bind 127.0.0.1:${port}`,
    '  default_backend apps',
    'backend apps',
    '  balance roundrobin',
    '  option httpchk GET /api/health',
    '  http-check expect status 200',
    '  default-server inter 500ms fall 2 rise 2',
    '  http-response set-header X-Atlas-Server %s',
    ...Object.entries(backends).map(([name, p]) => `  server ${name} 127.0.0.1:${p} check`),
    '',
  ].join('\n');
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Balancer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts HAProxy in the foreground on a free port; resolves once it accepts connections. */
export async function startBalancer(backends: Record<string, number>): Promise<Balancer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'atlas-haproxy-'));
  const cfg = path.join(dir, 'haproxy.cfg');
  writeFileSync(cfg, haproxyConfig(port, backends));
  const child = spawn(HAPROXY, ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${err}`);
    try {
      await fetch(`${url}/api/health`);
      break;
    } catch {
      if (i > 100) throw new Error(`haproxy did not listen: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
