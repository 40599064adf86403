import type { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { categoriesSchema, latSchema, limitSchema, lngSchema } from '../../http/schemas';
import { nearestFacilities, rowToFeature } from '../facilities/sql';

export const MAX_NEARBY_LIMIT = 100;

const NearbyQuery = z.object({
  lng: lngSchema,
  lat: latSchema,
  category: categoriesSchema.optional(),
  limit: limitSchema(MAX_NEARBY_LIMIT, 10),
});

export function nearbyRoutes(api: Router, ctx: AppContext): void {
  api.get('/nearby', async (req, res) => {
    const q = parse(NearbyQuery, req.query);
    const rows = await nearestFacilities(ctx.db, q.lng, q.lat, q.category, q.limit);
    res.json({ type: 'FeatureCollection', features: rows.map(rowToFeature) });
  });
}
