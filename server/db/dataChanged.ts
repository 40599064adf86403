/**
 * The one "data changed" signal of a process. Whatever writes data in bulk (an import
 * run by the app — admin upload or `npm run import` handed off to it — or a restore) calls
 * {@link dataChanged}; whatever keeps derived data in memory (coverage caches, the routing
 * graph, tile or indicator caches) subscribes with {@link onDataChanged} and drops it, so
 * the next request serves the new data at once.
 *
 * Writes made by another process (several app servers on one PostgreSQL) do not reach
 * this signal: those caches also compare the newest finished `import_runs` row on use
 * (server/features/coverage/cache.ts `ensureFresh`, the routing graph's fingerprint).
 *
 * @example
 * const off = onDataChanged((db, change) => myCache.delete(db));
 * dataChanged(db, { reason: 'import', runId: 12, kinds: ['facilities'] });
 */
import type { Queryable } from './adapter';

export interface DataChange {
  reason: 'import' | 'restore' | 'edit';
  /** The `import_runs` row of an import. */
  runId?: number | null;
  /** Tables filled: 'facilities', 'network', 'population', 'districts'. */
  kinds?: string[];
}

type Listener = (db: Queryable, change: DataChange) => void;
const listeners = new Set<Listener>();

/** Subscribes; returns the function that unsubscribes. */
export function onDataChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells every subscriber that `db`'s data changed. A failing listener does not stop the others. */
export function dataChanged(db: Queryable, change: DataChange): void {
  for (const l of listeners) {
    try {
      l(db, change);
    } catch {
      // a cache that cannot clear itself is rebuilt by its own freshness check
    }
  }
}
