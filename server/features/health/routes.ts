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

export function healthRoutes(api: Router, ctx: AppContext): void {
  // the counts, kept for HEALTH_COUNTS_MAX_AGE_S (dropped at once by an import); the database is asked every time
  let counts: { at: number; value: Promise<Counts> } | null = null;
  onDataChanged((db) => {
    if (db === ctx.db) counts = null;
  });
  const currentCounts = (): Promise<Counts> => {
    if (!counts || performance.now() - counts.at > HEALTH_COUNTS_MAX_AGE_S * 1000) {
      const value = countFacilities(ctx.db);
      const entry = { at: performance.now(), value };
      counts = entry;
      value.catch(() => {
        if (counts === entry) counts = null;
      });
    }
    return counts.value;
  };

  api.get('/health', async (_req, res) => {
    try {
      await ctx.db.query('SELECT 1');
      const c = await currentCounts();
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
