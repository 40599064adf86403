import type { Router } from 'express';
import { readDb } from '../../db/replicas';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { categoriesSchema, latSchema, limitSchema, lngSchema } from '../../http/schemas';
import { FACILITY_FIELDS, type FacilityField } from '../../../core/api';
import { rowToFeature, type FacilityRow } from '../facilities/sql';
import { nearestFacilities } from './sql';

export const MAX_NEARBY_LIMIT = 100;

const KNOWN_FIELDS = new Set<string>(FACILITY_FIELDS);

/** `fields=a,b`: properties to send (id, point and distance always come); absent = all of them. */
export const fieldsSchema = z.string().transform((s, ctx) => {
  const names = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !KNOWN_FIELDS.has(n) && n !== 'id' && n !== 'distance_m');
  if (bad.length) {
    ctx.addIssue({ code: 'custom', message: `unknown field ${bad.map((b) => `'${b}'`).join(', ')}; known: ${FACILITY_FIELDS.join(', ')}` });
    return z.NEVER;
  }
  // in catalogue order, so that one set of fields is one SQL text whatever order it was named in
  return FACILITY_FIELDS.filter((f) => names.includes(f)) as FacilityField[];
});

const NearbyQuery = z.object({
  lng: lngSchema,
  lat: latSchema,
  category: categoriesSchema.optional(),
  limit: limitSchema(MAX_NEARBY_LIMIT, 10),
  fields: fieldsSchema.optional(),
});

export function nearbyRoutes(api: Router, ctx: AppContext): void {
  api.get('/nearby', async (req, res) => {
    const q = parse(NearbyQuery, req.query);
    const rows = await nearestFacilities(readDb(ctx, req), q.lng, q.lat, q.category, q.limit, q.fields ?? FACILITY_FIELDS);
    const body = JSON.stringify({ type: 'FeatureCollection', features: rows.map((r) => rowToFeature(r as FacilityRow)) });
    // no ETag (an answer for one point is rarely asked twice): written out rather than res.json, which hashes the body for
    // one; the headers set directly (res.set passes a Content-Type through mime-types' parse and format)
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  });
}
