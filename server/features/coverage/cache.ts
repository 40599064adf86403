/**
 * In-memory caches of the coverage feature: population surfaces, walking graphs, cell
 * joins and analysis results. They are derived data — rebuilt on demand — so the server
 * stays stateless in the sense that matters (any instance answers any request, and an
 * instance that restarts only pays the first build again).
 *
 * One cache per database (a `WeakMap` keyed by the `Db`), so that test suites running
 * several apps in one process never see each other's data.
 *
 * Freshness: imports change `network_edges` and `population_cells`. The importer calls
 * {@link invalidateCoverageCache} when it finishes; as a safety net for imports made by
 * another process (`npm run import` against the same database, another app server),
 * every request first compares the newest finished `import_runs` row with the one the
 * cache was built after ({@link ensureFresh}: one indexed `max()` on a small table).
 */
import type { Db, Queryable } from '../../db/adapter';
import { latestImportFinished } from './sql';

/**
 * A least-recently-used map bounded by a total "weight" (cells, edges …) and an entry count.
 * @example const lru = new Lru<string, number[]>(4, 1e6, (v) => v.length);
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; weight: number }>();
  private total = 0;
  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number = Infinity,
    private readonly weigh: (v: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  set(key: K, value: V): void {
    const old = this.map.get(key);
    if (old) {
      this.total -= old.weight;
      this.map.delete(key);
    }
    const weight = this.weigh(value);
    this.map.set(key, { value, weight });
    this.total += weight;
    // evict the oldest, but never the entry just added
    for (const [k, v] of this.map) {
      if (this.map.size <= 1 || (this.map.size <= this.maxEntries && this.total <= this.maxWeight)) break;
      if (k === key) continue;
      this.map.delete(k);
      this.total -= v.weight;
    }
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * Runs `build` once per key at a time: concurrent requests for the same surface or graph
 * share one build instead of racing to make two.
 */
export class InFlight<V> {
  private readonly pending = new Map<string, Promise<V>>();
  run(key: string, build: () => Promise<V>): Promise<V> {
    const p = this.pending.get(key);
    if (p) return p;
    const q = build().finally(() => this.pending.delete(key));
    this.pending.set(key, q);
    return q;
  }
}

/** The caches of one database. */
export interface CoverageCaches {
  /** Bumped on every invalidation; part of every derived key. */
  generation: number;
  /** `finished_at` of the newest finished import the caches were built after. */
  importStamp: string | null;
  store: Map<string, Lru<string, unknown>>;
  inFlight: InFlight<unknown>;
}

const byDb = new WeakMap<Queryable, CoverageCaches>();
/** Every cache ever made, weakly, so that a global invalidation reaches all of them. */
const all = new Set<WeakRef<CoverageCaches>>();

export function cachesFor(db: Queryable): CoverageCaches {
  let c = byDb.get(db);
  if (!c) {
    c = { generation: 0, importStamp: null, store: new Map(), inFlight: new InFlight() };
    byDb.set(db, c);
    all.add(new WeakRef(c));
  }
  return c;
}

/** A named LRU inside a database's caches (created on first use). */
export function lruOf<V>(
  caches: CoverageCaches,
  name: string,
  maxEntries: number,
  maxWeight?: number,
  weigh?: (v: V) => number,
): Lru<string, V> {
  let l = caches.store.get(name);
  if (!l) {
    l = new Lru<string, unknown>(maxEntries, maxWeight, weigh as (v: unknown) => number);
    caches.store.set(name, l);
  }
  return l as Lru<string, V>;
}

function clear(c: CoverageCaches): void {
  c.generation++;
  for (const l of c.store.values()) l.clear();
}

const invalidationListeners = new Set<(db: Queryable | undefined) => void>();

/**
 * Called on every {@link invalidateCoverageCache}: the analysis worker pool (server/analysis)
 * keeps copies of these caches in its threads and drops them on the next job.
 */
export function onCoverageInvalidated(fn: (db: Queryable | undefined) => void): () => void {
  invalidationListeners.add(fn);
  return () => invalidationListeners.delete(fn);
}

/**
 * Drops every cached surface, graph and result — of one database, or of all when `db` is
 * omitted. The importer calls this after a run that wrote network edges, population cells,
 * districts or facilities.
 * @example invalidateCoverageCache(db);
 */
export function invalidateCoverageCache(db?: Queryable): void {
  for (const l of invalidationListeners) l(db);
  if (db) {
    const c = byDb.get(db);
    if (c) clear(c);
    return;
  }
  for (const ref of all) {
    const c = ref.deref();
    if (c) clear(c);
    else all.delete(ref);
  }
}

/**
 * Clears the caches of `db` when an import finished after they were built. Cheap: one
 * `max(finished_at)` on `import_runs` (one row per import run) per request. A build that
 * was in flight during the clear stores its result under the old generation's key, which
 * is never asked for again. `importStamp`: that `max(finished_at)` when the caller has just read it.
 */
export async function ensureFresh(db: Db, importStamp?: string | null): Promise<CoverageCaches> {
  const c = cachesFor(db);
  // a stamp read with the analysis's other inputs (./answers.ts `readAnswerInputs`) saves the query
  const stamp = importStamp !== undefined ? importStamp : await latestImportFinished(db);
  if (stamp !== c.importStamp) {
    clear(c);
    c.importStamp = stamp;
  }
  return c;
}
