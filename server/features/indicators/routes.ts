/**
 * Plan-target indicators over HTTP (issue #5):
 *
 * | route | returns |
 * |---|---|
 * | `GET /api/indicators[?district=code]` | every district + the city total, or one district ({@link IndicatorsResponse}) |
 * | `GET /api/indicators.csv[?district=&lang=zh\|en]` | the table as CSV, UTF-8 with BOM, Chinese headers by default |
 * | `GET /api/indicators.xlsx[?district=&lang=zh\|en]` | the same as an XLSX workbook |
 * | `POST /api/indicators/snapshots` `{ date?, reason? }` | saves the current set (201); 409 if that moment exists |
 * | `GET /api/indicators/snapshots[?district=&indicator=&limit=]` | the trend: snapshots oldest first (city when no district) |
 * | `GET /api/indicators/venues[?district=]` | large venues (§十八) as GeoJSON, with `has_mother_baby_room` |
 */
import { editorWrite, userOf } from '../auth/guard';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { NotFoundError, ValidationError } from '../../errors';
import { parse } from '../../http/validate';
import { districtCodeSchema, limitSchema } from '../../http/schemas';
import { CITY_CODE, INDICATOR_IDS } from '../../../core/indicators';
import { computeIndicatorSet, readSnapshots, snapshotIndicators, type CoverageSource } from './service';
import { toCsv, toXlsx } from './export';
import { largeVenueRows } from './sql';

const IndicatorsQuery = z.object({ district: districtCodeSchema.optional() });

const ExportQuery = z.object({
  district: districtCodeSchema.optional(),
  lang: z.enum(['zh', 'en'], { message: "must be 'zh' or 'en'" }).default('zh'),
});

const SnapshotsQuery = z.object({
  district: districtCodeSchema.default(CITY_CODE),
  indicator: z.enum(INDICATOR_IDS, { message: `must be one of ${INDICATOR_IDS.join(', ')}` }).optional(),
  limit: limitSchema(500, 100),
});

/** Whether `YYYY-MM-DD` names a day of the calendar (2023-02-30 does not: `Date` would roll it to 2023-03-02). */
export function isCalendarDate(ymd: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** A calendar date (taken as 00:00 China Standard Time) or an ISO 8601 date-time with offset; impossible days are refused. */
const snapshotDate = z
  .union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.iso.datetime({ offset: true })], {
    message: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time with offset',
  })
  .refine(isCalendarDate, { message: 'not a day of the calendar (check the month and the day)' });

const SnapshotBody = z
  .object({
    date: snapshotDate.optional(),
    reason: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  })
  .strict();

function toMoment(date: string): Date {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00+08:00` : date);
  if (Number.isNaN(d.getTime())) throw new ValidationError('date', 'date: not a real date');
  // a snapshot records the data as it is now: it cannot be dated in the future
  if (d.getTime() > Date.now() + 60_000) throw new ValidationError('date', 'date: must not be in the future');
  return d;
}

/** Saving a snapshot is a planner's write: an editor (or admin), then the per-user write rate limit. */
export function snapshotWriteGuards(ctx: AppContext): RequestHandler[] {
  return editorWrite(ctx);
}

export interface IndicatorRouteOptions {
  /** Walking-coverage results for the coverage indicators; absent = no_data until the coverage engine is wired in. */
  coverage?: CoverageSource;
}

const today = () => new Date().toISOString().slice(0, 10);

export function indicatorRoutes(api: Router, ctx: AppContext, opts: IndicatorRouteOptions = {}): void {
  const compute = async (district: string | undefined) => {
    const set = await computeIndicatorSet(ctx.db, { district, coverage: opts.coverage });
    if (!set) throw new NotFoundError(`no district with code ${district}`);
    return set;
  };

  api.get('/indicators', async (req: Request, res: Response) => {
    const q = parse(IndicatorsQuery, req.query);
    res.set('Cache-Control', 'no-cache').json(await compute(q.district));
  });

  /** GET /indicators.`ext`: the indicators of `district` (or all) as a dated download in `lang`. */
  const download = (ext: string, type: string, encode: typeof toCsv | typeof toXlsx) =>
    api.get(`/indicators.${ext}`, async (req: Request, res: Response) => {
      const q = parse(ExportQuery, req.query);
      const set = await compute(q.district);
      res
        .attachment(`${q.lang === 'zh' ? '儿童友好城市指标' : 'child-friendly-city-indicators'}-${q.district ?? 'all'}-${today()}.${ext}`)
        .type(type)
        .set('Cache-Control', 'no-cache')
        .send(await encode(set, q.lang));
    });
  download('csv', 'text/csv; charset=utf-8', toCsv);
  download('xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', toXlsx);

  api.post('/indicators/snapshots', ...snapshotWriteGuards(ctx), async (req: Request, res: Response) => {
    const body = parse(SnapshotBody, req.body ?? {});
    const summary = await snapshotIndicators(ctx.db, body.reason ?? 'manual', {
      takenAt: body.date ? toMoment(body.date) : undefined,
      coverage: opts.coverage,
      createdBy: userOf(req).username,
    });
    res.status(201).json(summary);
  });

  api.get('/indicators/snapshots', async (req: Request, res: Response) => {
    const q = parse(SnapshotsQuery, req.query);
    res.set('Cache-Control', 'no-cache').json(await readSnapshots(ctx.db, q.district, { limit: q.limit, indicator: q.indicator }));
  });

  api.get('/indicators/venues', async (req: Request, res: Response) => {
    const q = parse(IndicatorsQuery, req.query);
    const rows = await largeVenueRows(ctx.db, q.district ?? null);
    res.set('Cache-Control', 'no-cache').json({
      type: 'FeatureCollection',
      features: rows.map((v) => ({
        type: 'Feature',
        id: `${v.kind}-${v.id}`,
        geometry: { type: 'Point', coordinates: [v.lng, v.lat] },
        properties: {
          record: v.kind,
          id: v.id,
          name_zh: v.name_zh,
          name_en: v.name_en,
          kind: v.venue_kind,
          district_code: v.district_code,
          floor_area_m2: v.floor_area_m2,
          daily_visitors: v.daily_visitors,
          has_mother_baby_room: v.has_room,
        },
      })),
    });
  });
}
