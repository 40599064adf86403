/**
 * A lock between the suite's parallel workers: a file created exclusively, holding the
 * holder's pid. A holder that died leaves the lock to whoever comes next.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` holding the lock file `lock`, waiting for it up to `waitMs`. */
export async function withFileLock<T>(lock: string, fn: () => Promise<T>, waitMs = 600_000): Promise<T> {
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(lock, 'utf8'));
      // a holder that died (or wrote nothing yet and is gone) leaves the lock to whoever comes next
      if (holder && !pidAlive(holder)) rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} (pid ${holder}) was not released in ${Math.round(waitMs / 60_000)} minutes`);
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}
