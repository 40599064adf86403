/**
 * SQL for feedback pins: submit, list (bounded by bbox and LIMIT), moderate.
 * Values are bound parameters only; the text is stored exactly as given.
 */
import { bboxValues, type Db, type Queryable } from '../../db/adapter';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import {
  ACTION_FROM,
  ACTION_TO,
  type FeedbackCategoryId,
  type FeedbackFeature,
  type FeedbackInput,
  type FeedbackProperties,
  type FeedbackPublicProperties,
  type FeedbackStatus,
  type ModerationAction,
} from '../../../core/feedback';

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const COLUMNS = `
  fb.id, fb.category, fb.text, fb.age_group, fb.facility_id, fb.district_code, fb.status, fb.supporters, fb.reply,
  ${ISO('fb.created_at')} AS created_at, ${ISO('fb.resolved_at')} AS resolved_at,
  fb.duplicate_of, fb.moderated_by, ${ISO('fb.moderated_at')} AS moderated_at, ${ISO('fb.updated_at')} AS updated_at,
  ST_X(fb.geom) AS lng, ST_Y(fb.geom) AS lat`;

export type FeedbackRow = FeedbackProperties & { lng: number; lat: number };

/** A row as a GeoJSON Feature; the public view leaves out who moderated and when. */
export function feedbackFeature(r: FeedbackRow, view: 'public' | 'editor'): FeedbackFeature<FeedbackPublicProperties | FeedbackProperties> {
  const { lng, lat, duplicate_of, moderated_by, moderated_at, updated_at, ...pub } = r;
  const properties = view === 'editor' ? { ...pub, duplicate_of, moderated_by, moderated_at, updated_at } : pub;
  return { type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [lng, lat] }, properties };
}

export async function facilityExists(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM facilities WHERE id = $1', [id])).rows.length > 0;
}

/** Stores a new pin (status `pending`); its district comes from point in polygon. */
export async function insertFeedback(db: Queryable, f: FeedbackInput): Promise<FeedbackRow> {
  const r = await db.query<FeedbackRow>(
    `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($5, $6), 4326) AS g),
     ins AS (
       INSERT INTO feedback (category, text, age_group, facility_id, geom, district_code)
       SELECT $1, $2, $3, $4, p.g,
              (SELECT d.code FROM districts d WHERE ST_Intersects(d.geom, p.g) ORDER BY d.code LIMIT 1)
         FROM p
       RETURNING *)
     SELECT ${COLUMNS} FROM ins fb`,
    [f.category, f.text, f.age_group ?? null, f.facility_id ?? null, f.coordinates[0], f.coordinates[1]],
  );
  return r.rows[0];
}

export async function getFeedback(db: Queryable, id: number): Promise<FeedbackRow | undefined> {
  return (await db.query<FeedbackRow>(`SELECT ${COLUMNS} FROM feedback fb WHERE fb.id = $1`, [id])).rows[0];
}

export interface FeedbackSearch {
  statuses: readonly FeedbackStatus[];
  bbox?: [number, number, number, number];
  categories?: FeedbackCategoryId[];
  district?: string;
  /** Only pins with an id below this (paging through the queue, newest first). */
  beforeId?: number;
  limit: number;
}

/** Pins matching the filters, newest first, at most `limit + 1` (to detect truncation). */
export async function searchFeedback(db: Queryable, s: FeedbackSearch): Promise<FeedbackRow[]> {
  const r = await db.query<FeedbackRow>(
    `SELECT ${COLUMNS}
       FROM feedback fb
      WHERE fb.status = ANY($1::text[])
        AND ($2::float8 IS NULL OR fb.geom && ST_MakeEnvelope($2, $3, $4, $5, 4326))
        AND ($6::text[] IS NULL OR fb.category = ANY($6::text[]))
        AND ($7::text IS NULL OR fb.district_code = $7)
        AND ($8::int IS NULL OR fb.id < $8)
      ORDER BY fb.id DESC
      LIMIT $9`,
    [s.statuses, ...bboxValues(s.bbox), s.categories ?? null, s.district ?? null, s.beforeId ?? null, s.limit + 1],
  );
  return r.rows;
}

/** Pins per status, for the moderation queue's tabs. */
export async function countByStatus(db: Queryable): Promise<Record<FeedbackStatus, number>> {
  const r = await db.query<{ status: FeedbackStatus; n: number }>('SELECT status, count(*)::int AS n FROM feedback GROUP BY status');
  const out = { pending: 0, approved: 0, rejected: 0, duplicate: 0, resolved: 0 };
  for (const row of r.rows) out[row.status] = row.n;
  return out;
}

export interface Moderation {
  action?: ModerationAction;
  /** For `merge`: the pin this one duplicates. */
  duplicate_of?: number;
  /** Set (string) or clear (null) the public reply; undefined leaves it. */
  reply?: string | null;
}

function conflict(message: string, current: FeedbackRow): never {
  throw new ConflictError(message, { current: feedbackFeature(current, 'editor') });
}

/**
 * Applies one moderation step in one transaction and returns the pin after it. A state
 * change only happens from the states {@link ACTION_FROM} allows, checked in the UPDATE's
 * WHERE, so two moderators acting at once cannot both win; the loser gets a 409 with the
 * pin as it now is.
 */
export async function moderateFeedback(db: Db, id: number, m: Moderation, by: string): Promise<FeedbackRow> {
  return db.transaction(async (tx) => {
    const hasReply = m.reply !== undefined;
    if (m.action === 'merge') {
      const target = m.duplicate_of!;
      if (target === id) throw new ValidationError('duplicate_of', 'duplicate_of: a pin cannot duplicate itself');
      // Lock both pins in id order (no deadlock between two merges of the same pair).
      const locked = await tx.query<{ id: number; status: FeedbackStatus; supporters: number }>(
        'SELECT id, status, supporters FROM feedback WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE',
        [[id, target]],
      );
      const src = locked.rows.find((r) => r.id === id);
      const dst = locked.rows.find((r) => r.id === target);
      if (!src) throw new NotFoundError(`no feedback with id ${id}`);
      if (!dst) throw new ValidationError('duplicate_of', `duplicate_of: no feedback with id ${target}`);
      if (!ACTION_FROM.merge.includes(src.status)) conflict(`a ${src.status} pin cannot be merged`, (await getFeedback(tx, id))!);
      if (dst.status === 'duplicate' || dst.status === 'rejected') {
        throw new ConflictError(`cannot merge into a ${dst.status} pin`, {
          current: feedbackFeature((await getFeedback(tx, target))!, 'editor'),
        });
      }
      await tx.query(
        `UPDATE feedback SET status = 'duplicate', duplicate_of = $2,
                reply = CASE WHEN $3::boolean THEN $4 ELSE reply END,
                moderated_by = $5, moderated_at = now(), updated_at = now()
          WHERE id = $1`,
        [id, target, hasReply, m.reply ?? null, by],
      );
      // Pins merged into this one before now point at the survivor (no chains).
      await tx.query('UPDATE feedback SET duplicate_of = $2, updated_at = now() WHERE duplicate_of = $1', [id, target]);
      await tx.query('UPDATE feedback SET supporters = supporters + $2, updated_at = now() WHERE id = $1', [target, src.supporters]);
      return (await getFeedback(tx, id))!;
    }

    const r = m.action
      ? await tx.query(
          `UPDATE feedback SET status = $2,
                  reply = CASE WHEN $4::boolean THEN $5 ELSE reply END,
                  resolved_at = CASE WHEN $2 = 'resolved' THEN now() ELSE NULL END,
                  moderated_by = $6, moderated_at = now(), updated_at = now()
            WHERE id = $1 AND status = ANY($3::text[])
            RETURNING id`,
          [id, ACTION_TO[m.action], ACTION_FROM[m.action], hasReply, m.reply ?? null, by],
        )
      : await tx.query(
          `UPDATE feedback SET reply = $2, moderated_by = $3, moderated_at = now(), updated_at = now()
            WHERE id = $1 RETURNING id`,
          [id, m.reply ?? null, by],
        );
    const current = await getFeedback(tx, id);
    if (!current) throw new NotFoundError(`no feedback with id ${id}`);
    if (r.rows.length === 0) conflict(`a ${current.status} pin cannot be ${m.action === 'reopen' ? 'reopened' : `${m.action}d`}`, current);
    return current;
  });
}
