/**
 * One process owns an embedded (PGlite) data folder. PGlite runs PostgreSQL in single-user
 * mode inside the process, with its own shared buffers and WAL position and no
 * `postmaster.pid`: a second process on the same folder writes pages and WAL the first
 * one knows nothing about, and the first one's shutdown checkpoint then writes its own
 * stale pages and control file over them (issue 16 case 1, issue 12 §1: the import is
 * lost, indexes no longer match their tables, and the folder may no longer open).
 *
 * The lock is a file beside the data folder (`.data/pglite.lock` for `.data/pglite`: outside
 * it, so that backups of the folder never carry a lock or its token, and a restore can move
 * the folder aside while holding the lock), created with O_EXCL, mode 0600:
 * `{ pid, procStart, startedAt, hostname, role, url?, token? }`. It is stale — and is
 * replaced — when it names this host and its pid is gone, or the pid now belongs to a
 * process started at another time (pid reuse after a crash or a reboot). A lock of
 * another host is never taken over (the folder may be on a shared disk).
 *
 * The running app writes its URL and a per-start secret `token` into its lock: the import
 * CLI reads them to hand a file over to the app (docs/security.md, "Admin imports").
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StartupError } from '../errors';

/** The lock file of a data folder: `<folder>.lock`, beside it. */
export function lockFileOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

export interface LockInfo {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); null off Linux. */
  procStart: number | null;
  startedAt: string;
  hostname: string;
  /** What holds the folder: the app (`npm start`) or a command (`import`, `seed`, `backup` …). */
  role: string;
  /** The running app's base URL (set once it listens). */
  url?: string;
  /** Per-start secret for the loopback admin import hand-off (the app only). */
  token?: string;
}

export interface DataLock {
  readonly file: string;
  readonly info: LockInfo;
  /** Adds facts (the app's URL) to the lock file. */
  update(extra: Partial<Pick<LockInfo, 'url'>>): void;
  /** Removes the lock file (idempotent; only if it is still ours). */
  release(): void;
}

/** Start time of a process in clock ticks since boot, or null when it cannot be read. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may contain spaces: count after the last ')'
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(rest[19]); // field 22 overall = index 19 after "pid (comm)"
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the lock of a data folder, or null when there is none (or it is unreadable). */
export function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/** Whether a lock no longer holds: its process (on this host) is gone or is another one now. */
export function lockIsStale(info: LockInfo): boolean {
  if (info.hostname !== os.hostname()) return false;
  if (!pidAlive(info.pid)) return true;
  if (info.procStart != null) {
    const now = processStartTicks(info.pid);
    if (now != null && now !== info.procStart) return true;
  }
  return false;
}

/** The live holder of a folder's lock, or null when the folder is free (or the lock is stale). */
export function liveLock(dataDir: string): LockInfo | null {
  const info = readLock(dataDir);
  return info && !lockIsStale(info) ? info : null;
}

/** A sentence naming who holds the folder and what to do. */
export function lockHeldMessage(dataDir: string, info: LockInfo, wanted: string): string {
  const who =
    info.role === 'app'
      ? `the atlas app (npm start, pid ${info.pid}${info.url ? `, ${info.url}` : ''}, started ${info.startedAt}${info.hostname !== os.hostname() ? ` on ${info.hostname}` : ''})`
      : `\`npm run ${info.role}\` (pid ${info.pid}, started ${info.startedAt}${info.hostname !== os.hostname() ? ` on ${info.hostname}` : ''})`;
  const what =
    info.role === 'app'
      ? wanted === 'import'
        ? 'The import is handed to the running app automatically when its lock names its URL; otherwise stop the app (Ctrl-C) and run the import again.'
        : wanted === 'backup'
          ? 'The running app backs itself up before every import and every BACKUP_INTERVAL_HOURS (see BACKUP_DIR); to back up now, stop it first (Ctrl-C), then run this again.'
          : `Stop the app first (Ctrl-C in its terminal, or \`kill ${info.pid}\`), then run this again.`
      : 'Wait for it to finish, then run this again.';
  return (
    `The embedded database folder ${dataDir} is in use by ${who}. ` +
    `Only one process may open it at a time (a second one would corrupt it). ${what}` +
    (info.hostname !== os.hostname() ? ` If that host no longer runs it, delete ${lockFileOf(dataDir)}.` : '')
  );
}

/**
 * Takes the lock of `dataDir` for this process, replacing a stale one. Throws a
 * {@link StartupError} naming the holder when the folder is in use.
 */
export function acquireDataLock(dataDir: string, role: string): DataLock {
  const file = lockFileOf(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const info: LockInfo = {
    pid: process.pid,
    procStart: processStartTicks(process.pid),
    startedAt: new Date().toISOString(),
    hostname: os.hostname(),
    role,
    ...(role === 'app' ? { token: randomBytes(32).toString('base64url') } : {}),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = readLock(dataDir);
      if (held && !lockIsStale(held)) throw new StartupError(lockHeldMessage(dataDir, held, role));
      // stale (or unreadable, half-written by a process killed while writing it): replace
      rmSync(file, { force: true });
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(info, null, 2));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      file,
      info,
      update(extra) {
        if (released) return;
        Object.assign(info, extra);
        const tmp = `${file}.${process.pid}.tmp`;
        const t = openSync(tmp, 'w', 0o600);
        try {
          writeSync(t, JSON.stringify(info, null, 2));
        } finally {
          closeSync(t);
        }
        chmodSync(tmp, 0o600);
        renameSync(tmp, file);
      },
      release() {
        if (released) return;
        released = true;
        const now = readLock(dataDir);
        if (now && now.pid === info.pid && now.startedAt === info.startedAt) rmSync(file, { force: true });
      },
    };
  }
  throw new StartupError(`could not take the lock ${file} (it keeps coming back: another process is starting on this folder)`);
}
