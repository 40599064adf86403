import type { Router } from 'express';
import { readDb } from '../../db/replicas';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { bboxSchema, categoriesSchema, districtCodeSchema, limitSchema, lngLatSchema } from '../../http/schemas';
import { NotFoundError } from '../../errors';
import { requestUser, roleAllows } from '../../http/requestUser';
import { getFacility, rowToFeature, searchFacilities } from './sql';

/** Most features one list request returns; the map uses vector tiles, not this. */
export const MAX_LIST_LIMIT = 1000;

const ListQuery = z.object({
  bbox: bboxSchema.optional(),
  category: categoriesSchema.optional(),
  q: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
  district: districtCodeSchema.optional(),
  near: lngLatSchema.optional(),
  limit: limitSchema(MAX_LIST_LIMIT, 200),
});

const IdParam = z.object({
  id: z.coerce.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be ≥ 1').max(2_147_483_647, 'out of range'),
});

export function facilityRoutes(api: Router, ctx: AppContext): void {
  api.get('/facilities', async (req, res) => {
    const q = parse(ListQuery, req.query);
    const rows = await searchFacilities(readDb(ctx, req), {
      bbox: q.bbox,
      categories: q.category,
      q: q.q,
      district: q.district,
      near: q.near,
      limit: q.limit,
    });
    const truncated = rows.length > q.limit;
    res.json({ type: 'FeatureCollection', truncated, features: rows.slice(0, q.limit).map(rowToFeature) });
  });

  api.get('/facilities/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const row = await getFacility(readDb(ctx, req), id);
    // Retired and proposed facilities are an editor's business (issue 12 §4): to the public they do
    // not exist, as in the list, nearby and the tiles; editors and admins read them with their `status`.
    const user = requestUser(req);
    const editor = user !== undefined && roleAllows(user.role, 'editor');
    if (!row || (row.status !== 'active' && !editor)) throw new NotFoundError(`no facility with id ${id}`);
    if (row.status !== 'active') res.set('Cache-Control', 'private, no-store');
    res.json(rowToFeature(row));
  });
}
