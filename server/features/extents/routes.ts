/**
 * `GET /api/extents`: where the atlas holds data (map bounds, "go to imported area", which
 * districts have a walking network). `GET /api/network/coverage?bbox=w,s,e,n`: whether a
 * walking network is loaded in a box, so that the UI can say so before anyone picks a
 * point (routes to school, the planner's walking mode). `GET /api/network/street?at=lng,lat`:
 * the nearest named street within {@link STREET_MAX_M} (the planner names a suggested site).
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { bboxSchema, lngLatSchema } from '../../http/schemas';
import type { NearestStreetResponse } from '../../../core/api';
import { ExtentsCache, nearestStreets, networkInBox, STREET_MAX_M } from './sql';

/** Edges counted at most per `/api/network/coverage` answer. */
export const NETWORK_COVERAGE_CAP = 50;

const CoverageQuery = z.object({ bbox: bboxSchema });
const StreetQuery = z.object({ at: lngLatSchema });

export function extentRoutes(api: Router, ctx: AppContext): void {
  const cache = new ExtentsCache();

  api.get('/extents', async (_req, res) => {
    res.set('Cache-Control', 'no-cache').json(await cache.get(ctx.db));
  });

  api.get('/network/coverage', async (req, res) => {
    const q = parse(CoverageQuery, req.query);
    res.set('Cache-Control', 'no-cache').json(await networkInBox(ctx.db, q.bbox, NETWORK_COVERAGE_CAP));
  });

  api.get('/network/street', async (req, res) => {
    const q = parse(StreetQuery, req.query);
    const [street] = await nearestStreets(ctx.db, [q.at], STREET_MAX_M);
    const body: NearestStreetResponse = { street, maxDistanceM: STREET_MAX_M };
    res.set('Cache-Control', 'no-cache').json(body);
  });
}
