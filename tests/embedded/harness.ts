/**
 * The real app and commands as child processes, each in its own process group
 * (`detached: true`), signalled the way a terminal (Ctrl-C) or a supervisor does: to the
 * whole group. Loopback only; every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'import');

/** A temp folder for one test's PGLITE_DIR (and its backups beside it). */
export function tempDataDir(prefix = 'atlas-emb-'): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), prefix)), 'pglite');
}

export function appEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PGLITE_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO: 'never',
    LOG_LEVEL: 'warn',
    BACKUP_INTERVAL_HOURS: '0',
    ...extra,
  };
}

export interface AppProcess {
  child: ChildProcess;
  /** Process group id (= the leader's pid). */
  pgid: number;
  url: string;
  output(): string;
  /** Sends a signal to the whole group. */
  signal(sig: NodeJS.Signals): void;
  /** Resolves when every process of the group is gone. */
  exited(timeoutMs?: number): Promise<void>;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the app: `npm start -- --skip-client-build` (viaNpm, as a user does) or
 * `node --import tsx scripts/start.ts` directly; resolves once it prints its URL.
 */
export async function startApp(
  dataDir: string,
  o: { viaNpm?: boolean; env?: Record<string, string>; readyMs?: number } = {},
): Promise<AppProcess> {
  const [cmd, args] = o.viaNpm
    ? ['npm', ['start', '--silent', '--', '--skip-client-build']]
    : [process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--skip-client-build']];
  const child = spawn(cmd, args, { cwd: ROOT, env: appEnv(dataDir, o.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const pgid = child.pid!;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start in time:\n${out}`)), o.readyMs ?? 180_000);
    const check = () => {
      const m = /Child-Friendly City Atlas on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the app exited before it was ready:\n${out}`));
    });
  });
  return {
    child,
    pgid,
    url,
    output: () => out,
    signal(sig) {
      try {
        process.kill(-pgid, sig);
      } catch {
        /* gone already */
      }
    },
    async exited(timeoutMs = 60_000) {
      const t0 = Date.now();
      while (groupAlive(pgid)) {
        if (Date.now() - t0 > timeoutMs) {
          process.kill(-pgid, 'SIGKILL');
          throw new Error(`the app did not exit within ${timeoutMs} ms:\n${out}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Runs an npm script (`import`, `seed`, `restore` …) to its end. */
export function runScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish in time:\n${out}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Posts a feedback pin; returns its id when the app acknowledged it (201), else null. */
export async function postFeedback(url: string, text: string): Promise<number | null> {
  try {
    const r = await fetch(`${url}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'want_playground', text, coordinates: [106.55, 29.55] }),
      signal: AbortSignal.timeout(20_000),
    });
    if (r.status !== 201) return null;
    return ((await r.json()) as { id?: number; properties?: { id: number } }).id ?? null;
  } catch {
    return null;
  }
}
