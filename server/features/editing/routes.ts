/**
 * Facility writes by editors (and admins). The read routes stay in
 * server/features/facilities; this feature reuses their SQL to answer with the same
 * Feature shape.
 *
 * | route | body | returns |
 * |---|---|---|
 * | `POST /api/facilities` | facility fields + `coordinates: [lng, lat]` | 201 Feature (version 1) |
 * | `PATCH /api/facilities/:id` | `{ version, ...fields to change }` | Feature; 409 `{ details: { current } }` when `version` is not the current one |
 * | `DELETE /api/facilities/:id[?version=n]` | | Feature, `status: "retired"` (never deleted) |
 * | `GET /api/facilities/:id/history[?limit=n]` | | `{ facility_id, versions: [{ version, changed_at, changed_by, action, data }] }`, newest first |
 * | `POST /api/facilities/:id/revert` | `{ toVersion, version? }` | Feature at a new version with the old data |
 */
import type { Request, Response, Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context';
import type { Queryable } from '../../db/adapter';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { parse } from '../../http/validate';
import { parseBody } from '../../http/body';
import { IdParam } from '../../http/params';
import { limitSchema, numberParam } from '../../http/schemas';
import { editorWrite, requireRole, userOf } from '../auth/guard';
import { getFacility, rowToFeature } from '../facilities/sql';
import { CATEGORY_IDS } from '../../../core/catalogue';
import type { FacilityFeature } from '../../../core/api';
import { coordinatesSchema } from '../feedback/routes';
import {
  currentFacility,
  ensureBaseline,
  facilityHistory,
  historyVersion,
  insertFacility,
  stateFromHistory,
  writeFacility,
  type CurrentFacility,
  type FacilityState,
} from './sql';

const text = (max: number) =>
  z.string({ message: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optText = (max: number) => text(max).nullable();
const years = z.number({ message: 'must be a number' }).min(0, 'must be ≥ 0').max(25, 'must be ≤ 25').nullable();

const AmenitiesSchema = z.strictObject({
  changing_table: z.boolean().optional(),
  nursing_room: z.boolean().optional(),
  accessible_entrance: z.boolean().optional(),
  drinking_water: z.boolean().optional(),
  toilets: z.boolean().optional(),
  shade: z.boolean().optional(),
  childrens_area: z.boolean().optional(),
  stroller_access: z.boolean().optional(),
});

/** Every field an editor may set; all optional here, the create schema requires some. */
const Fields = {
  category: z.enum(CATEGORY_IDS, { message: `must be one of ${CATEGORY_IDS.join(', ')}` }),
  name_zh: text(200),
  name_en: optText(200),
  address: optText(300),
  opening_hours: optText(200),
  capacity: z
    .number({ message: 'must be an integer' })
    .int('must be an integer')
    .min(0, 'must be ≥ 0')
    .max(1_000_000, 'must be ≤ 1000000')
    .nullable(),
  age_min_years: years,
  age_max_years: years,
  ownership: z.enum(['public', 'private', 'unknown'], { message: 'must be public, private or unknown' }),
  inclusive: z.boolean({ message: 'must be true, false or null' }).nullable(),
  amenities: AmenitiesSchema,
  phone: z
    .string({ message: 'must be a string' })
    .trim()
    .regex(/^[0-9+()\- ]{3,40}$/, 'must be 3 to 40 digits, spaces, + ( ) -')
    .nullable(),
  // Retiring is DELETE; PATCH can bring a retired facility back as active or proposed.
  status: z.enum(['active', 'proposed'], { message: 'must be active or proposed (retire with DELETE)' }),
  coordinates: coordinatesSchema,
};

const CreateBody = z.strictObject({
  ...Fields,
  name_en: Fields.name_en.optional(),
  address: Fields.address.optional(),
  opening_hours: Fields.opening_hours.optional(),
  capacity: Fields.capacity.optional(),
  age_min_years: Fields.age_min_years.optional(),
  age_max_years: Fields.age_max_years.optional(),
  ownership: Fields.ownership.optional(),
  inclusive: Fields.inclusive.optional(),
  amenities: Fields.amenities.optional(),
  phone: Fields.phone.optional(),
  status: Fields.status.optional(),
});

const PatchBody = z
  .strictObject(Fields)
  .partial()
  .extend({
    version: z.number({ message: 'must be the version you edited (an integer)' }).int('must be an integer').min(1, 'must be ≥ 1'),
  });

const RevertBody = z.strictObject({
  toVersion: z.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be ≥ 1'),
  version: z.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be ≥ 1').optional(),
});

const DeleteQuery = z.object({
  version: numberParam(z.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be ≥ 1')).optional(),
});

const HistoryQuery = z.object({ limit: limitSchema(500, 100) });

function checkAges(s: Pick<FacilityState, 'age_min_years' | 'age_max_years'>): void {
  if (s.age_min_years != null && s.age_max_years != null && s.age_min_years > s.age_max_years) {
    throw new ValidationError('age_max_years', 'age_max_years: must be ≥ age_min_years');
  }
}

async function featureOf(db: Queryable, id: number): Promise<FacilityFeature> {
  const row = await getFacility(db, id);
  if (!row) throw new NotFoundError(`no facility with id ${id}`);
  return rowToFeature(row);
}

async function conflict(db: Queryable, id: number, message: string): Promise<never> {
  throw new ConflictError(message, { current: await featureOf(db, id) });
}

/** The current row, locked until the transaction ends (its history baseline made first); 404 when absent. */
async function lockCurrent(tx: Queryable, id: number): Promise<CurrentFacility> {
  await ensureBaseline(tx, id);
  const cur = await currentFacility(tx, id, true);
  if (!cur) throw new NotFoundError(`no facility with id ${id}`);
  return cur;
}

export function editingRoutes(api: Router, ctx: AppContext): void {
  api.post('/facilities', ...editorWrite(ctx), async (req: Request, res: Response) => {
    const b = parseBody(CreateBody, req.body);
    const state: FacilityState = {
      category: b.category,
      name_zh: b.name_zh,
      name_en: b.name_en ?? null,
      address: b.address ?? null,
      opening_hours: b.opening_hours ?? null,
      capacity: b.capacity ?? null,
      age_min_years: b.age_min_years ?? null,
      age_max_years: b.age_max_years ?? null,
      ownership: b.ownership ?? 'unknown',
      inclusive: b.inclusive ?? null,
      amenities: b.amenities ?? {},
      attributes: {},
      phone: b.phone ?? null,
      status: b.status ?? 'active',
      lng: b.coordinates[0],
      lat: b.coordinates[1],
    };
    checkAges(state);
    const by = userOf(req).username;
    const feature = await ctx.db.transaction(async (tx) => featureOf(tx, await insertFacility(tx, state, randomUUID(), by)));
    res.status(201).location(`/api/facilities/${feature.id}`).json(feature);
  });

  api.patch('/facilities/:id', ...editorWrite(ctx), async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const { version, coordinates, ...fields } = parseBody(PatchBody, req.body);
    if (coordinates === undefined && Object.keys(fields).length === 0)
      throw new ValidationError('body', 'body: nothing to change besides version');
    const by = userOf(req).username;
    const feature = await ctx.db.transaction(async (tx) => {
      const cur = await lockCurrent(tx, id);
      if (cur.version !== version)
        await conflict(tx, id, `facility ${id} is at version ${cur.version}, not ${version}: someone else changed it`);
      const next: FacilityState = { ...cur, ...fields, ...(coordinates ? { lng: coordinates[0], lat: coordinates[1] } : {}) };
      checkAges(next);
      const written = await writeFacility(tx, id, version, next, by, 'update');
      if (written === undefined) await conflict(tx, id, `facility ${id} changed while you were saving`);
      return featureOf(tx, id);
    });
    res.json(feature);
  });

  api.delete('/facilities/:id', ...editorWrite(ctx), async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const { version } = parse(DeleteQuery, req.query);
    const by = userOf(req).username;
    const feature = await ctx.db.transaction(async (tx) => {
      const cur = await lockCurrent(tx, id);
      if (version !== undefined && cur.version !== version)
        await conflict(tx, id, `facility ${id} is at version ${cur.version}, not ${version}`);
      if (cur.status === 'retired') return featureOf(tx, id); // already retired: nothing to do
      const written = await writeFacility(tx, id, cur.version, { ...cur, status: 'retired' }, by, 'retire');
      if (written === undefined) await conflict(tx, id, `facility ${id} changed while you were retiring it`);
      return featureOf(tx, id);
    });
    res.json(feature);
  });

  api.get('/facilities/:id/history', requireRole('editor'), async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const { limit } = parse(HistoryQuery, req.query);
    const cur = await currentFacility(ctx.db, id);
    if (!cur) throw new NotFoundError(`no facility with id ${id}`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ facility_id: id, current_version: cur.version, versions: await facilityHistory(ctx.db, id, limit) });
  });

  api.post('/facilities/:id/revert', ...editorWrite(ctx), async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const body = parseBody(RevertBody, req.body);
    const by = userOf(req).username;
    const feature = await ctx.db.transaction(async (tx) => {
      const cur = await lockCurrent(tx, id);
      if (body.version !== undefined && cur.version !== body.version) {
        await conflict(tx, id, `facility ${id} is at version ${cur.version}, not ${body.version}`);
      }
      if (body.toVersion >= cur.version)
        throw new ValidationError('toVersion', `toVersion: must be an earlier version than the current ${cur.version}`);
      const old = await historyVersion(tx, id, body.toVersion);
      if (!old) throw new NotFoundError(`facility ${id} has no version ${body.toVersion} in its history`);
      const state = stateFromHistory(old.data);
      if (!Number.isFinite(state.lng) || !Number.isFinite(state.lat) || !state.name_zh || !state.category) {
        throw new ConflictError(`version ${body.toVersion} of facility ${id} is incomplete in the history and cannot be restored`);
      }
      const written = await writeFacility(tx, id, cur.version, state, by, 'revert');
      if (written === undefined) await conflict(tx, id, `facility ${id} changed while you were reverting it`);
      return featureOf(tx, id);
    });
    res.json(feature);
  });
}
