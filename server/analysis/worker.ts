/**
 * One analysis worker thread (run by ./pool.ts through piscina). A task names a job kind and
 * its parsed arguments; the worker runs the feature's own code (e.g. coverage handlers.ts)
 * against a {@link ProxyDb} that sends each query over the task's MessagePort — to the main
 * thread, which runs it on the app's PostgreSQL pool, or straight to the embedded database's own
 * thread (server/db/pgliteThread.ts) — and answers the response body — JSON, or a file such as an
 * export — as bytes (transferred, not copied). The heavy part — population surfaces, walking graphs, coverage, 2SFCA, gaps,
 * the JSON itself — stays in this thread, with its own caches.
 */
import type { MessagePort } from 'node:worker_threads';
import Piscina from 'piscina';
import type { Db, DbCapabilities, QueryResult, Queryable } from '../db/adapter';
import { AppError } from '../errors';
import { invalidateCoverageCache } from '../features/coverage/cache';
import { JobFile, JobJsonThenStore, type JobOutput } from './jobFile';
import { JOB_KINDS, type JobKind } from './jobs';

export interface WorkerTask {
  kind: JobKind;
  args: unknown;
  /** The app database this task reads (one proxy, and so one cache set, per database). */
  dbId: number;
  dbKind: Db['kind'];
  capabilities: DbCapabilities;
  /** Bumped by the main thread on every cache invalidation of that database. */
  generation: number;
  port: MessagePort;
}

/** The response body's bytes and type (the bytes moved to the main thread), or an AppError to throw there. */
export type WorkerResult = JobOutput | { error: { status: number; code: string; message: string; field?: string; details?: unknown } };

type Reply = { id: number; rows?: unknown[]; affectedRows?: number; error?: { message: string; code?: string } };

/** Bytes come back from the main thread as Uint8Array; the readers expect Buffers (as `pg` gives). */
function revive(rows: unknown[]): unknown[] {
  for (const r of rows) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (v instanceof Uint8Array && !Buffer.isBuffer(v)) o[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
  }
  return rows;
}

/** A {@link Db} whose queries run on the main thread's connection (one task's port at a time). */
class ProxyDb implements Db {
  port: MessagePort | null = null;
  generation = 0;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void }>();
  constructor(
    readonly kind: Db['kind'],
    readonly capabilities: DbCapabilities,
  ) {}

  attach(port: MessagePort): void {
    this.port = port;
    port.on('message', (m: Reply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      w.resolve(m);
    });
  }

  detach(): void {
    this.port?.close();
    this.port = null;
    for (const w of this.waiting.values()) w.resolve({ id: -1, error: { message: 'the analysis job ended' } });
    this.waiting.clear();
  }

  private call(op: 'query' | 'exec', sql: string, params?: readonly unknown[]): Promise<Reply> {
    const port = this.port;
    if (!port) return Promise.reject(new Error('no database port: the analysis job ended'));
    const id = this.next++;
    return new Promise<Reply>((resolve) => {
      this.waiting.set(id, { resolve });
      port.postMessage({ id, op, sql, params });
    });
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    const r = await this.call('query', sql, params);
    if (r.error) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return { rows: revive(r.rows ?? []) as T[], affectedRows: r.affectedRows };
  }

  async exec(sql: string): Promise<void> {
    const r = await this.call('exec', sql);
    if (r.error) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  }

  /** Analyses only read; a "transaction" here is the same connection without BEGIN. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async close(): Promise<void> {}
}

const proxies = new Map<number, ProxyDb>();

export default async function run(task: WorkerTask): Promise<WorkerResult> {
  let db = proxies.get(task.dbId);
  if (!db) {
    db = new ProxyDb(task.dbKind, task.capabilities);
    proxies.set(task.dbId, db);
  }
  if (db.generation !== task.generation) {
    invalidateCoverageCache(db);
    db.generation = task.generation;
  }
  db.attach(task.port);
  try {
    const body: unknown = await JOB_KINDS[task.kind](db, task.args);
    let out: JobOutput;
    if (body instanceof JobFile) {
      out = { bytes: body.bytes, contentType: body.contentType, fileName: body.fileName };
    } else {
      const json = Buffer.from(JSON.stringify(body instanceof JobJsonThenStore ? body.body : body));
      out = { bytes: new Uint8Array(json.buffer, json.byteOffset, json.byteLength), contentType: 'application/json' };
      if (body instanceof JobJsonThenStore) out.after = body.after;
    }
    // a pooled small Buffer (or a view) shares its ArrayBuffer: copy those rather than transfer the rest
    const b = out.bytes;
    if (b.byteOffset !== 0 || b.buffer.byteLength !== b.byteLength || !(b.buffer instanceof ArrayBuffer)) out.bytes = b.slice();
    const buffer = out.bytes.buffer;
    return Piscina.move({
      get [Piscina.transferableSymbol]() {
        return buffer;
      },
      get [Piscina.valueSymbol]() {
        return out;
      },
    } as unknown as ArrayBuffer) as unknown as WorkerResult;
  } catch (e) {
    if (e instanceof AppError) return { error: { status: e.status, code: e.code, message: e.message, field: e.field, details: e.details } };
    throw e;
  } finally {
    db.detach();
  }
}
