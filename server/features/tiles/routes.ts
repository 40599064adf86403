import type { Router } from 'express';
import { readDb } from '../../db/replicas';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { categoriesSchema } from '../../http/schemas';
import { facilityTileEncoded, facilityTileMvt } from './sql';

/** Deepest zoom served; beyond it MapLibre over-zooms the z16 tile. */
export const MAX_TILE_ZOOM = 22;

const intParam = (field: string, max: number) =>
  z
    .string()
    .regex(/^\d{1,8}$/, `${field} must be a non-negative integer`)
    .transform(Number)
    .refine((n) => n <= max, `${field} must be ≤ ${max}`);

/** z/x/y of a tile up to `maxZoom`, each checked by name (x and y must lie inside zoom z). */
export function tileParamsSchema(maxZoom: number) {
  return z
    .object({ z: intParam('z', maxZoom), x: intParam('x', 2 ** maxZoom - 1), y: intParam('y', 2 ** maxZoom - 1) })
    .superRefine((p, ctx) => {
      const n = 2 ** p.z;
      if (p.x >= n) ctx.addIssue({ code: 'custom', path: ['x'], message: `x must be < ${n} at zoom ${p.z}` });
      if (p.y >= n) ctx.addIssue({ code: 'custom', path: ['y'], message: `y must be < ${n} at zoom ${p.z}` });
    });
}

const TileParams = tileParamsSchema(MAX_TILE_ZOOM);

const TileQuery = z.object({ category: categoriesSchema.optional() });

export function tileRoutes(api: Router, ctx: AppContext): void {
  api.get('/tiles/facilities/:z/:x/:y.pbf', async (req, res) => {
    const p = parse(TileParams, req.params);
    const q = parse(TileQuery, req.query);
    const t = { ...p, categories: q.category, cap: ctx.tileFeatureCap };
    const db = readDb(ctx, req);
    const bytes = db.capabilities.mvt ? await facilityTileMvt(db, t) : await facilityTileEncoded(db, t);
    res.status(200).set({ 'Content-Type': 'application/vnd.mapbox-vector-tile', 'Cache-Control': 'public, max-age=60' }).end(bytes);
  });
}
