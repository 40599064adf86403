/**
 * Safe walking routes to school (issue #6; implementation plan §十九).
 *
 * | route | who | returns |
 * |---|---|---|
 * | `GET /api/route?from=lng,lat&to=lng,lat&profile=child\|shortest\|step_free` (or `school=id` instead of `to`) | anyone | the route with its facts; for `child`/`step_free` also the shortest and the detour in words. No route → 422 `no_walking_route` with `details.reason` |
 * | `GET /api/routes/school/:id?top=5` | anyone | the school's route network: segments and crossings with children and safety, the most-used unsafe ones |
 * | `GET /api/routes?bbox=w,s,e,n&school=id&status=&limit=` | public: published; editors: any status | stored curated routes, FeatureCollection (bbox or school required) |
 * | `GET /api/routes/:id` | as above | one stored route |
 * | `POST /api/routes` | editors | store a route: `{kind:'computed', name_zh, from, to \| school_id, profile?}` or `{kind:'drawn', name_zh, geometry}` → 201 |
 * | `PATCH /api/routes/:id` | editors | `{name_zh?, name_en?, status?, notes?}` |
 * | `DELETE /api/routes/:id` | editors | 204 |
 *
 * Computed routes are recomputed on demand from the in-memory routing graph (./service.ts),
 * never stored unless a planner stores one.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { LineString } from 'geojson';
import type { AppContext } from '../../context';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import { parse } from '../../http/validate';
import { parseBody } from '../../http/body';
import { IdParam, idSchema } from '../../http/params';
import { bboxSchema, latSchema, limitSchema, lngSchema } from '../../http/schemas';
import { requestUser, roleAllows } from '../../http/requestUser';
import { editorWrite, userOf } from '../auth/guard';
import { planRoute, type NoRoute, type RoutePlan } from '../../../core/routing/route';
import { slopeNote } from '../../../core/coverage/slope';
import { PROFILE_IDS } from '../../../core/routing/safety';
import { haversineM } from '../../../core/coverage/geo';
import { DEFAULT_WALK_PARAMS } from '../../../core/coverage/norms';
import { r1 } from '../../../core/round';
import { routingGraph, schoolNetwork, SCHOOL_CHILDREN, type SchoolNetworkOutcome } from './service';
import { deleteRoute, getRoute, getSchool, insertRoute, outlineOf, routeFeature, searchRoutes, type NewRoute, updateRoute } from './sql';

/** 422: the request is valid but no walking route answers it (islands, too far from the network…). */
export class NoRouteError extends AppError {
  constructor(r: Pick<NoRoute, 'reason' | 'field' | 'message'>) {
    super(422, 'no_walking_route', r.message.en, r.field ?? undefined, { reason: r.reason, message: r.message });
  }
}

/**
 * The error of a school route network that could not be built: 404 unknown school, 422 not a
 * school, 422 `no_walking_route` (no network, or none near the school). `field` names the
 * request field that holds the school id (`id` in the API path, `school` in an export).
 */
export function schoolNetworkError(out: Extract<SchoolNetworkOutcome, { ok: false }>, id: number, field: 'id' | 'school'): AppError {
  if (out.reason === 'not_found') return new NotFoundError(`no facility with id ${id}`);
  if (out.reason === 'not_a_school') {
    return new AppError(
      422,
      'not_a_school',
      `${field === 'id' ? '' : `${field}: `}facility ${id} is a ${out.school!.category}; route networks are for ${Object.keys(SCHOOL_CHILDREN).join(' and ')}`,
      field,
    );
  }
  return new NoRouteError({
    reason: out.reason === 'no_network' ? 'no_network' : 'to_far',
    field: null,
    message:
      out.reason === 'no_network'
        ? { zh: '尚未导入步行路网。', en: 'No walking network has been imported yet.' }
        : { zh: '学校 500 米内没有可步行的道路。', en: 'There is no walkable street within 500 m of the school.' },
  });
}

/** `lng,lat` in degrees. */
const lngLatParam = z.string().transform((s, ctx) => {
  const parts = s.split(',').map((p) => p.trim());
  const [lng, lat] = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || !Number.isFinite(lng) || !Number.isFinite(lat)) {
    ctx.addIssue({ code: 'custom', message: 'must be two numbers: longitude,latitude' });
    return z.NEVER;
  }
  if (lng < -180 || lng > 180 || lat < -90 || lat > 90) {
    ctx.addIssue({ code: 'custom', message: 'out of range: longitude within ±180, latitude within ±90' });
    return z.NEVER;
  }
  return [lng, lat] as [number, number];
});

const RouteQuery = z
  .object({
    from: lngLatParam,
    to: lngLatParam.optional(),
    school: idSchema.optional(),
    profile: z.enum(PROFILE_IDS, { message: `must be one of ${PROFILE_IDS.join(', ')}` }).default('child'),
  })
  .superRefine((q, ctx) => {
    if (q.to === undefined && q.school === undefined)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'give to=lng,lat or school=id' });
    if (q.to !== undefined && q.school !== undefined)
      ctx.addIssue({ code: 'custom', path: ['school'], message: 'give to or school, not both' });
  });

const SchoolQuery = z.object({ top: limitSchema(50, 5) });

const STATUSES = ['draft', 'published', 'retired'] as const;
const ListQuery = z
  .object({
    bbox: bboxSchema.optional(),
    school: idSchema.optional(),
    status: z.enum(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` }).optional(),
    limit: limitSchema(500, 200),
  })
  .superRefine((q, ctx) => {
    if (!q.bbox && q.school === undefined) ctx.addIssue({ code: 'custom', path: ['bbox'], message: 'give bbox=w,s,e,n or school=id' });
  });

const coordinate = z.tuple([lngSchema, latSchema], { message: 'must be [longitude, latitude]' });
const text = (max: number) =>
  z.string({ message: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const common = {
  name_zh: text(200),
  name_en: text(200).nullish(),
  school_id: z
    .number({ message: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be ≥ 1')
    .max(2_147_483_647, 'out of range')
    .nullish(),
  status: z.enum(['draft', 'published'], { message: 'must be draft or published' }).default('published'),
  notes: text(1000).nullish(),
};
const CreateBody = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('computed'),
      ...common,
      from: coordinate,
      to: coordinate.optional(),
      profile: z.enum(PROFILE_IDS).default('child'),
    }),
    z.strictObject({
      kind: z.literal('drawn'),
      ...common,
      geometry: z.strictObject({
        type: z.literal('LineString', { message: 'must be LineString' }),
        coordinates: z.array(coordinate).min(2, 'needs at least 2 points').max(2000, 'at most 2000 points'),
      }),
    }),
  ],
  { message: 'kind must be computed or drawn' },
);
const PatchBody = z
  .strictObject({
    name_zh: text(200).optional(),
    name_en: text(200).nullable().optional(),
    status: z.enum(STATUSES).optional(),
    notes: text(1000).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change', path: ['body'] });

function isEditor(req: Request): boolean {
  const u = requestUser(req);
  return !!u && roleAllows(u.role, 'editor');
}

/** What a route answer looks like over HTTP: the plan as computed, plus timing of the graph. */
function planBody(plan: RoutePlan, graph: { edges: number; builtAt: Date; demLabel: string | null }) {
  const slope = { used: plan.slopeUsed, source: plan.slopeUsed ? graph.demLabel : null, note: slopeNote(plan.slopeUsed, graph.demLabel) };
  return { ...plan, slope, graph: { edges: graph.edges, builtAt: graph.builtAt.toISOString() } };
}

/** The facts of a route worth keeping with a stored copy (no geometry: it is the row's). */
function storedFacts(plan: RoutePlan): Record<string, unknown> {
  const { geometry: _g, segments, crossingList, ...facts } = plan.route;
  return {
    ...facts,
    crossingList: crossingList.map((c) => ({
      coordinates: c.coordinates,
      roadClass: c.roadClass,
      roadName: c.roadName,
      control: c.control,
      grade: c.grade,
    })),
    segments: segments.map((s) => ({ name: s.name, highway: s.highway, lengthM: s.lengthM, grade: s.grade, reasons: s.reasons })),
    comparison: plan.comparison ? { extraM: plan.comparison.extraM, text: plan.comparison.text, capped: plan.comparison.capped } : null,
  };
}

export function routeRoutes(api: Router, ctx: AppContext): void {
  api.get('/route', async (req: Request, res: Response) => {
    const q = parse(RouteQuery, req.query);
    let to = q.to;
    let toOutline = null;
    if (q.school !== undefined) {
      const s = await getSchool(ctx.db, q.school);
      if (s?.status !== 'active') throw new NotFoundError(`no facility with id ${q.school}`);
      to = [s.lng, s.lat];
      toOutline = outlineOf(s.footprint);
    }
    const entry = await routingGraph(ctx.db);
    const r = planRoute(entry.graph, q.from, to!, { profile: q.profile, toOutline });
    if (!r.ok) throw new NoRouteError(r);
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(planBody(r.plan, entry));
  });

  api.get('/routes/school/:id', async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const { top } = parse(SchoolQuery, req.query);
    const out = await schoolNetwork(ctx.db, id, { top });
    if (!out.ok) throw schoolNetworkError(out, id, 'id');
    const { school, norm, population, network, graph } = out.result;
    const { school: at, ...net } = network;
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json({
      school: {
        id: school.id,
        category: school.category,
        name_zh: school.name_zh,
        name_en: school.name_en,
        coordinates: [school.lng, school.lat],
        gate: at.gate,
        snapped: at.snapped,
        accessM: at.accessM,
      },
      norm,
      population,
      ...net,
      graph,
    });
  });

  api.get('/routes', async (req: Request, res: Response) => {
    const q = parse(ListQuery, req.query);
    const editor = isEditor(req);
    if (q.status && q.status !== 'published' && !editor)
      throw new AppError(401, 'unauthenticated', 'log in as an editor to see routes that are not published');
    const statuses = q.status ? [q.status] : editor ? STATUSES : ['published'];
    const rows = await searchRoutes(ctx.db, { bbox: q.bbox, schoolId: q.school, statuses, limit: q.limit });
    res.setHeader('Vary', 'Cookie');
    res.setHeader('Cache-Control', editor ? 'private, no-store' : 'public, max-age=30');
    res.json({ type: 'FeatureCollection', truncated: rows.length > q.limit, features: rows.slice(0, q.limit).map(routeFeature) });
  });

  api.get('/routes/:id', async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const row = await getRoute(ctx.db, id);
    if (!row || (row.status !== 'published' && !isEditor(req))) throw new NotFoundError(`no route with id ${id}`);
    res.setHeader('Vary', 'Cookie');
    res.json(routeFeature(row));
  });

  api.post('/routes', ...editorWrite(ctx), async (req: Request, res: Response) => {
    const body = parseBody(CreateBody, req.body);
    const by = userOf(req).username;
    const schoolId = body.school_id ?? null;
    const school = schoolId !== null ? await getSchool(ctx.db, schoolId) : null;
    if (schoolId !== null && !school) throw new ValidationError('school_id', `school_id: no facility with id ${schoolId}`);
    // what the kind decides: computed on the network, or drawn and measured as drawn
    let made: Pick<NewRoute, 'kind' | 'profile' | 'length_m' | 'walk_minutes' | 'safety_score' | 'facts' | 'geometry'>;
    if (body.kind === 'computed') {
      const to = body.to ?? (school ? ([school.lng, school.lat] as [number, number]) : undefined);
      if (!to) throw new ValidationError('to', 'to: give to=[lng,lat] or a school_id');
      const entry = await routingGraph(ctx.db);
      const r = planRoute(entry.graph, body.from, to, { profile: body.profile, toOutline: body.to ? null : outlineOf(school!.footprint) });
      if (!r.ok) throw new NoRouteError(r);
      const route = r.plan.route;
      made = {
        kind: 'computed',
        profile: body.profile,
        length_m: route.lengthM,
        walk_minutes: route.walkMinutes,
        safety_score: route.safetyScore,
        facts: storedFacts(r.plan),
        geometry: route.geometry,
      };
    } else {
      const line: LineString = { type: 'LineString', coordinates: body.geometry.coordinates };
      let len = 0;
      for (let i = 1; i < line.coordinates.length; i++)
        len += haversineM(line.coordinates[i - 1][0], line.coordinates[i - 1][1], line.coordinates[i][0], line.coordinates[i][1]);
      if (len > 20_000) throw new ValidationError('geometry', 'geometry: a route to school longer than 20 km is not a walking route');
      made = {
        kind: 'drawn',
        profile: null,
        length_m: r1(len),
        walk_minutes: r1(len / DEFAULT_WALK_PARAMS.walkSpeedMps / 60),
        safety_score: null,
        facts: {},
        geometry: line,
      };
    }
    const row = await insertRoute(
      ctx.db,
      {
        school_id: schoolId,
        name_zh: body.name_zh,
        name_en: body.name_en ?? null,
        status: body.status,
        notes: body.notes ?? null,
        ...made,
      },
      by,
    );
    res.status(201).location(`/api/routes/${row.id}`).json(routeFeature(row));
  });

  api.patch('/routes/:id', ...editorWrite(ctx), async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const body = parseBody(PatchBody, req.body);
    const row = await updateRoute(ctx.db, id, body, userOf(req).username);
    if (!row) throw new NotFoundError(`no route with id ${id}`);
    res.json(routeFeature(row));
  });

  api.delete('/routes/:id', ...editorWrite(ctx), async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    if (!(await deleteRoute(ctx.db, id))) throw new NotFoundError(`no route with id ${id}`);
    res.status(204).end();
  });
}
