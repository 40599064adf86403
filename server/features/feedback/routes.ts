/**
 * Feedback pins (implementation plan §三, 儿童参与).
 *
 * | route | who | what |
 * |---|---|---|
 * | `GET /api/feedback/catalogue` | anyone | categories, age groups, statuses (zh/en), limits |
 * | `POST /api/feedback` | anyone (rate-limited per client) | `{category, text, coordinates:[lng,lat], age_group?, facility_id?}` → 201 pin, `pending` |
 * | `GET /api/feedback?bbox&category&status&district&before&limit&download` | public: approved + resolved pins; editors: any status | FeatureCollection, newest first |
 * | `GET /api/feedback/:id` | public: an approved/resolved pin; editors: any | Feature |
 * | `PATCH /api/feedback/:id` | editors | `{action?: approve\|reject\|merge\|resolve\|reopen, duplicate_of?, reply?}` |
 *
 * Text goes in and out as JSON strings only; no HTML is ever built from it here, and
 * clients must render it as text.
 */
import { readDb } from '../../db/replicas';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { AuthError, NotFoundError, ValidationError } from '../../errors';
import { parse } from '../../http/validate';
import { parseBody } from '../../http/body';
import { IdParam, idSchema } from '../../http/params';
import { bboxSchema, districtCodeSchema, limitSchema } from '../../http/schemas';
import { rateLimitersFor } from '../../http/rateLimits';
import { requestUser, roleAllows } from '../../http/requestUser';
import { editorWrite, userOf } from '../auth/guard';
import {
  AGE_GROUPS,
  AGE_GROUP_IDS,
  FEEDBACK_CATEGORIES,
  FEEDBACK_CATEGORY_IDS,
  FEEDBACK_REPLY_MAX,
  FEEDBACK_STATUSES,
  FEEDBACK_STATUS_IDS,
  FEEDBACK_TEXT_MAX,
  MODERATION_ACTIONS,
  PUBLIC_FEEDBACK_STATUSES,
  charCount,
  type FeedbackStatus,
} from '../../../core/feedback';
import { countByStatus, facilityExists, feedbackFeature, getFeedback, insertFeedback, moderateFeedback, searchFeedback } from './sql';

/** Most pins one list request returns. */
export const MAX_FEEDBACK_LIMIT = 1000;

const textOf = (max: number) =>
  z.string({ message: 'must be a string' }).refine((s) => charCount(s) <= max, `must be at most ${max} characters`);

/** `[lng, lat]` in WGS84 as JSON numbers (no strings: a body is not a query string). */
export const coordinatesSchema = z.tuple(
  [
    z.number({ message: 'must be a number (longitude)' }).min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180'),
    z.number({ message: 'must be a number (latitude)' }).min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90'),
  ],
  { message: 'must be [longitude, latitude]' },
);

const SubmitBody = z.strictObject({
  category: z.enum(FEEDBACK_CATEGORY_IDS, { message: `must be one of ${FEEDBACK_CATEGORY_IDS.join(', ')}` }),
  text: textOf(FEEDBACK_TEXT_MAX).default(''),
  coordinates: coordinatesSchema,
  age_group: z.enum(AGE_GROUP_IDS, { message: `must be one of ${AGE_GROUP_IDS.join(', ')}` }).nullish(),
  facility_id: z
    .number({ message: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be ≥ 1')
    .max(2_147_483_647, 'out of range')
    .nullish(),
});

const ModerateBody = z
  .strictObject({
    action: z.enum(MODERATION_ACTIONS, { message: `must be one of ${MODERATION_ACTIONS.join(', ')}` }).optional(),
    duplicate_of: z
      .number({ message: 'must be an integer' })
      .int('must be an integer')
      .min(1, 'must be ≥ 1')
      .max(2_147_483_647, 'out of range')
      .optional(),
    reply: textOf(FEEDBACK_REPLY_MAX).nullable().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.action === undefined && b.reply === undefined)
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'give an action or a reply' });
    if (b.action === 'merge' && b.duplicate_of === undefined)
      ctx.addIssue({ code: 'custom', path: ['duplicate_of'], message: 'required to merge' });
    if (b.action !== 'merge' && b.duplicate_of !== undefined)
      ctx.addIssue({ code: 'custom', path: ['duplicate_of'], message: 'only with action merge' });
  });

const listOf = <T extends string>(ids: readonly T[], what: string) =>
  z.string().transform((s, ctx) => {
    const parts = [
      ...new Set(
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      ),
    ];
    const bad = parts.filter((p) => !(ids as readonly string[]).includes(p));
    if (bad.length || parts.length === 0) {
      ctx.addIssue({ code: 'custom', message: `unknown ${what} ${bad.map((b) => `'${b}'`).join(', ')}; known: ${ids.join(', ')}` });
      return z.NEVER;
    }
    return parts as T[];
  });

const ListQuery = z.object({
  bbox: bboxSchema.optional(),
  category: listOf(FEEDBACK_CATEGORY_IDS, 'category').optional(),
  status: listOf(FEEDBACK_STATUS_IDS, 'status').optional(),
  district: districtCodeSchema.optional(),
  before: idSchema.optional(),
  limit: limitSchema(MAX_FEEDBACK_LIMIT, 500),
  download: z.enum(['1', 'true']).optional(),
});

function isEditor(req: Request): boolean {
  const u = requestUser(req);
  return !!u && roleAllows(u.role, 'editor');
}

export function feedbackRoutes(api: Router, ctx: AppContext): void {
  api.get('/feedback/catalogue', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.json({
      categories: FEEDBACK_CATEGORIES,
      ageGroups: AGE_GROUPS,
      statuses: FEEDBACK_STATUSES,
      publicStatuses: PUBLIC_FEEDBACK_STATUSES,
      textMax: FEEDBACK_TEXT_MAX,
      replyMax: FEEDBACK_REPLY_MAX,
    });
  });

  api.post('/feedback', rateLimitersFor(ctx).feedback, async (req: Request, res: Response) => {
    const body = parseBody(SubmitBody, req.body);
    if (body.facility_id != null && !(await facilityExists(ctx.db, body.facility_id))) {
      throw new ValidationError('facility_id', `facility_id: no facility with id ${body.facility_id}`);
    }
    const row = await insertFeedback(ctx.db, body);
    res.status(201).location(`/api/feedback/${row.id}`).json(feedbackFeature(row, 'public'));
  });

  api.get('/feedback', async (req: Request, res: Response) => {
    const q = parse(ListQuery, req.query);
    const editor = isEditor(req);
    const statuses: readonly FeedbackStatus[] = q.status ?? (editor ? FEEDBACK_STATUS_IDS : PUBLIC_FEEDBACK_STATUSES);
    if (!editor && statuses.some((s) => !PUBLIC_FEEDBACK_STATUSES.includes(s))) {
      throw new AuthError('log in as an editor to see pins that are not approved');
    }
    const rows = await searchFeedback(readDb(ctx, req), {
      statuses,
      bbox: q.bbox,
      categories: q.category,
      district: q.district,
      beforeId: q.before,
      limit: q.limit,
    });
    const truncated = rows.length > q.limit;
    const features = rows.slice(0, q.limit).map((r) => feedbackFeature(r, editor ? 'editor' : 'public'));
    res.setHeader('Vary', 'Cookie');
    res.setHeader('Cache-Control', editor ? 'private, no-store' : 'public, max-age=30');
    if (q.download) {
      res.setHeader('Content-Disposition', `attachment; filename="feedback-${statuses.join('-')}.geojson"`);
    }
    res.json({ type: 'FeatureCollection', truncated, features, ...(editor ? { counts: await countByStatus(ctx.db) } : {}) });
  });

  api.get('/feedback/:id', async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const editor = isEditor(req);
    const row = await getFeedback(ctx.db, id);
    // Pins the public may not see do not exist for it.
    if (!row || (!editor && !PUBLIC_FEEDBACK_STATUSES.includes(row.status))) throw new NotFoundError(`no feedback with id ${id}`);
    res.setHeader('Vary', 'Cookie');
    res.setHeader('Cache-Control', editor ? 'private, no-store' : 'public, max-age=30');
    res.json(feedbackFeature(row, editor ? 'editor' : 'public'));
  });

  api.patch('/feedback/:id', ...editorWrite(ctx), async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const body = parseBody(ModerateBody, req.body);
    const row = await moderateFeedback(ctx.db, id, body, userOf(req).username);
    res.json(feedbackFeature(row, 'editor'));
  });
}
