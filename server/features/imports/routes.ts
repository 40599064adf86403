/**
 * Admin imports over HTTP (docs/security.md "Admin imports"):
 *
 * | route | what |
 * |---|---|
 * | `POST /api/admin/imports?name=&dryRun=&kind=&crs=&category=&source=&map=&sheet=&strict=&full=&extentCheck=&snapshot=` | body = the file's bytes (`application/octet-stream`) → 202 job |
 * | `POST /api/admin/imports/:id/confirm` | imports a finished dry run's file for real → 202 job |
 * | `GET /api/admin/imports/:id` | the job: status, progress, summary (rows, rejections with reasons) |
 * | `GET /api/admin/imports` | recent jobs |
 *
 * Who: an admin session (with the CSRF header, like every write), or — for the import
 * command's hand-off — `Authorization: Bearer <token>` with the per-start token from the
 * app's lock file (0600, beside the data folder), accepted only on a connection from a
 * loopback address that carries no X-Forwarded-For (so never through a proxy).
 *
 * Mounted before the JSON-only API router: the upload body is the file itself.
 */
import { createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { AppError, AuthError, ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import type { SecurityOptions } from '../../http/security';
import { parse } from '../../http/validate';
import { originGuard, csrfGuard } from '../../http/csrf';
import { guardInput } from '../../http/inputGuard';
import { requestSession, requestUser, roleAllows } from '../../http/requestUser';
import { loadSession } from '../auth/session';
import { CRS_IDS } from '../../../core/datum';
import { CATEGORY_IDS } from '../../../core/catalogue';
import { parseMapOption } from '../../../core/import/columns';
import { type ImportJob, ImportJobs, type JobOptions } from './jobs';

export interface AdminImportOptions {
  jobs: ImportJobs;
  /** The per-start hand-off token (embedded app only). */
  token?: string;
  uploadMaxBytes: number;
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const QuerySchema = z.object({
  name: z
    .string({ message: 'required: the file name (its extension tells the format)' })
    .min(1)
    .max(200)
    .refine((s) => !/[\\/\0]/.test(s) && s !== '.' && s !== '..', 'a file name without folders'),
  dryRun: bool.optional(),
  kind: z.enum(['facilities', 'network', 'population', 'districts']).optional(),
  crs: z.enum(CRS_IDS as unknown as [string, ...string[]]).optional(),
  category: z.enum(CATEGORY_IDS as unknown as [string, ...string[]]).optional(),
  source: z.string().min(1).max(100).optional(),
  map: z.string().max(1000).optional(),
  sheet: z.string().max(100).optional(),
  strict: bool.optional(),
  full: bool.optional(),
  extentCheck: bool.optional(),
  snapshot: bool.optional(),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Who may use these routes: the hand-off token from loopback, or an admin session. Returns who. */
function authorize(req: Request, token: string | undefined): string {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer (\S+)$/.exec(auth);
    const local = LOOPBACK.has(req.socket.remoteAddress ?? '') && req.headers['x-forwarded-for'] === undefined;
    if (!m || !token || !local || !sameSecret(m[1], token))
      throw new AuthError('the import token is wrong, or was sent from another machine or through a proxy');
    return 'cli';
  }
  const u = requestUser(req);
  if (!u) throw new AuthError();
  if (!roleAllows(u.role, 'admin')) throw new ForbiddenError('importing data needs the admin role');
  return u.username;
}

export function adminImportRoutes(ctx: AppContext, sec: SecurityOptions, opts: AdminImportOptions): Router {
  const r = express.Router();
  r.use(
    originGuard(sec),
    loadSession(ctx),
    csrfGuard((req) => (req.headers.authorization ? undefined : requestSession(req)?.csrfToken)),
    guardInput,
  );
  const who = (req: Request, _res: Response, next: NextFunction) => {
    (req as Request & { importBy?: string }).importBy = authorize(req, opts.token);
    next();
  };
  const by = (req: Request) => (req as Request & { importBy?: string }).importBy ?? '?';

  r.post('/', who, async (req: Request, res: Response) => {
    const q = parse(QuerySchema, req.query);
    let map: JobOptions['map'];
    try {
      map = q.map ? parseMapOption(q.map) : undefined;
    } catch (e) {
      throw new ValidationError('map', `map: ${(e as Error).message}`);
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > opts.uploadMaxBytes)
      throw new AppError(
        413,
        'too_large',
        `the file is larger than IMPORT_UPLOAD_MAX_MB (${Math.round(opts.uploadMaxBytes / 1e6)} MB)`,
        'body',
      );
    const dir = ImportJobs.uploadDir();
    const file = path.join(dir, q.name);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > opts.uploadMaxBytes) cb(new AppError(413, 'too_large', `the file is larger than IMPORT_UPLOAD_MAX_MB`, 'body'));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(req, limit, createWriteStream(file, { mode: 0o600 }));
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e instanceof AppError ? e : new ValidationError('body', 'body: the upload was cut off');
    }
    if (bytes === 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new ValidationError('body', 'body: the file is empty (send its bytes as the request body)');
    }
    const options: JobOptions = {
      dryRun: q.dryRun,
      kind: q.kind as JobOptions['kind'],
      crs: q.crs as JobOptions['crs'],
      category: q.category as JobOptions['category'],
      source: q.source,
      map,
      sheet: q.sheet,
      strict: q.strict,
      full: q.full,
      extentCheck: q.extentCheck,
      snapshot: q.snapshot,
    };
    let job: ImportJob;
    try {
      job = opts.jobs.submit(file, q.name, bytes, options, by(req));
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw new AppError(503, 'shutting_down', (e as Error).message);
    }
    res.status(202).setHeader('Cache-Control', 'no-store').json(job);
  });

  r.post('/:id/confirm', who, (req: Request, res: Response) => {
    const job = opts.jobs.confirm(String(req.params.id), by(req));
    if (!job)
      throw new NotFoundError('no finished dry run with that id is waiting for confirmation (it may have expired: upload the file again)');
    res.status(202).setHeader('Cache-Control', 'no-store').json(job);
  });

  r.get('/:id', who, (req: Request, res: Response) => {
    const job = opts.jobs.get(String(req.params.id));
    if (!job) throw new NotFoundError('no import job with that id');
    res.setHeader('Cache-Control', 'no-store').json(job);
  });

  r.get('/', who, (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store').json({ jobs: opts.jobs.list() });
  });
  return r;
}
