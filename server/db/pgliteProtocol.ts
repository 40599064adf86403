/**
 * What the request thread (./pglite.ts) and the embedded database's thread (./pgliteThread.ts)
 * say to each other. Plain data only: it crosses threads by structured clone.
 */
import type { MessagePort } from 'node:worker_threads';

/** What the request thread asks for (./pglite.ts sends these). */
export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' }
  | { id: 0; op: 'attach'; port: MessagePort };

/** The answer to request `id` (for `begin`: the transaction's number; for `dump`: the bytes). */
export type ThreadReply =
  | { id: number; rows?: unknown[]; affectedRows?: number; tx?: number; bytes?: ArrayBuffer }
  | { id: number; error: ThreadError };

/** A PostgreSQL error's fields (code, detail, constraint …) as plain data. */
export type ThreadError = { message: string; name?: string } & Record<string, unknown>;

export interface ThreadData {
  dataDir?: string;
  /** In memory, starting from this dump file (the tests' migrated template). */
  templateFile?: string;
}

/** The thread's first message: opened, or why not. */
export type ThreadReady = { ready: true } | { ready: false; error: ThreadError };

export function plainError(e: unknown): ThreadError {
  if (e instanceof Error) {
    const out: ThreadError = { message: e.message, name: e.name };
    for (const [k, v] of Object.entries(e)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
    return out;
  }
  return { message: String(e) };
}
