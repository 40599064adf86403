import type { Router } from 'express';
import type { AppContext } from '../../context';
import { HEALTH_COUNTS_MAX_AGE_S, type ConfigResponse, type HealthResponse } from '../../../core/api';
import type { Queryable } from '../../db/adapter';
import { onDataChanged } from '../../db/dataChanged';

type Counts = { n: number; demo: number; osm: number };

async function countFacilities(db: Queryable): Promise<Counts> {
  const r = await db.query<Counts>(
    `SELECT count(*)::int AS n,
            count(*) FILTER (WHERE source = 'demo')::int AS demo,
            count(*) FILTER (WHERE source = 'osm' OR source LIKE 'osm:%' OR source_id ~ '^(node|way|relation)/')::int AS osm
       FROM facilities WHERE status = 'active'`,
  );
  return r.rows[0];
}

/** Facility counts per database, kept for HEALTH_COUNTS_MAX_AGE_S; an import drops them at once. */
const countsByDb = new WeakMap<Queryable, { at: number; value: Promise<Counts> }>();
onDataChanged((db) => countsByDb.delete(db));

function currentCounts(db: Queryable): Promise<Counts> {
  const kept = countsByDb.get(db);
  if (kept && performance.now() - kept.at <= HEALTH_COUNTS_MAX_AGE_S * 1000) return kept.value;
  const entry = { at: performance.now(), value: countFacilities(db) };
  countsByDb.set(db, entry);
  entry.value.catch(() => {
    if (countsByDb.get(db) === entry) countsByDb.delete(db);
  });
  return entry.value;
}

export function healthRoutes(api: Router, ctx: AppContext): void {
  api.get('/health', async (_req, res) => {
    try {
      await ctx.db.query('SELECT 1');
      const c = await currentCounts(ctx.db); // the database itself is asked every time, above
      const body: HealthResponse = {
        status: 'ok',
        db: ctx.db.kind,
        postgis: ctx.postgisVersion,
        version: ctx.appVersion,
        facilities: c.n,
        demo: c.demo > 0,
        osm: c.osm > 0,
        ...(ctx.reads ? { replicas: ctx.reads.status() } : {}),
      };
      res.json(body);
    } catch {
      const body: HealthResponse = {
        status: 'degraded',
        db: ctx.db.kind,
        postgis: null,
        version: ctx.appVersion,
        facilities: 0,
        demo: false,
        osm: false,
        ...(ctx.reads ? { replicas: ctx.reads.status() } : {}),
      };
      res.status(503).json(body);
    }
  });

  // What the client needs to know at start: an optional online basemap.
  api.get('/config', (_req, res) => {
    const body: ConfigResponse = { basemapStyleUrl: ctx.basemapStyleUrl ?? null };
    res.json(body);
  });
}
