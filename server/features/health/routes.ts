import type { Router } from 'express';
import type { AppContext } from '../../context';
import type { ConfigResponse, HealthResponse } from '../../../core/api';

export function healthRoutes(api: Router, ctx: AppContext): void {
  api.get('/health', async (_req, res) => {
    try {
      const r = await ctx.db.query<{ n: number; demo: number; osm: number }>(
        `SELECT count(*)::int AS n,
                count(*) FILTER (WHERE source = 'demo')::int AS demo,
                count(*) FILTER (WHERE source = 'osm' OR source LIKE 'osm:%' OR source_id ~ '^(node|way|relation)/')::int AS osm
           FROM facilities WHERE status = 'active'`,
      );
      const body: HealthResponse = {
        status: 'ok',
        db: ctx.db.kind,
        postgis: ctx.postgisVersion,
        version: ctx.appVersion,
        facilities: r.rows[0].n,
        demo: r.rows[0].demo > 0,
        osm: r.rows[0].osm > 0,
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
