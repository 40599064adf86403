/**
 * The Express application: security headers, compression, request log, JSON bodies
 * (size-limited), the API under /api behind its guards (Origin, JSON-only writes,
 * session, CSRF, clean text), the built client as static files, JSON 404s and one
 * error middleware. CORS is off: no Access-Control-* header is ever sent.
 */
import { READ_PRIMARY_COOKIE } from './db/replicas';
import express, { type ErrorRequestHandler, type Request, type Response, type NextFunction } from 'express';
import helmet from 'helmet';
import compression from 'compression';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from './context';
import { AppError } from './errors';
import { registerFeatures } from './features';
import { resolveSecurity } from './http/security';
import { requestLog } from './http/logging';
import { guardInput, requireJsonBody } from './http/inputGuard';
import { csrfGuard, originGuard } from './http/csrf';
import { requestSession } from './http/requestUser';
import { loadSession } from './features/auth/session';
import { adminImportRoutes } from './features/imports/routes';
import { ImportJobs } from './features/imports/jobs';

/** Largest JSON body of a feedback pin or a login (a pin's text is ≤ 500 characters). */
export const SMALL_BODY_LIMIT = '16kb';
/** Largest JSON body anywhere else (a facility with every field is a few kB). */
export const BODY_LIMIT = '100kb';

export interface AppOptions {
  /** Folder of the built client (vite build); not served when absent. */
  clientDir?: string;
}

export function createApp(ctx: AppContext, opts: AppOptions = {}): express.Express {
  const sec = resolveSecurity(ctx.security);
  ctx = { ...ctx, security: sec };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind a proxy, client address (rate limits) and https (Secure cookies) come from X-Forwarded-*.
  app.set('trust proxy', sec.trustProxy);
  const compress = compression();
  const encoding = (req: Request, res: Response, next: NextFunction) => {
    // A client that takes no encoding gets the body as it is: nothing to negotiate, so skip the
    // middleware's per-response hooks (issue 13: API clients and scripts; browsers always ask).
    if (req.headers['accept-encoding'] === undefined) {
      res.setHeader('Vary', 'Accept-Encoding');
      return next();
    }
    compress(req, res, next);
  };
  // what every response goes through, in this order, as one step of the router (issue 13)
  app.use(
    inSequence(
      ...(sec.trustProxy === false ? [untrustedForwardWarning(ctx)] : []),
      requestLog(ctx.log),
      fixedHeaders(helmetOptions(ctx)),
      encoding,
    ),
  );
  // with read replicas: a visitor who writes reads from the primary for a while (server/db/replicas.ts)
  if (ctx.reads) {
    const maxAge = ctx.readPrimaryAfterWriteMs ?? 10_000;
    app.use('/api', (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && maxAge > 0) {
        res.cookie(READ_PRIMARY_COOKIE, '1', { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/api', maxAge });
      }
      next();
    });
  }
  app.use(['/api/feedback', '/api/auth'], withBody(express.json({ limit: SMALL_BODY_LIMIT })));
  app.use(withBody(express.json({ limit: BODY_LIMIT })));

  const api = express.Router();
  api.use(
    inSequence(
      originGuard(sec),
      requireJsonBody,
      loadSession(ctx),
      csrfGuard((req) => requestSession(req)?.csrfToken),
      guardInput,
    ),
  );
  registerFeatures(api, ctx);
  api.use((req: Request, _res: Response, next: NextFunction) => {
    next(new AppError(404, 'not_found', `no API route ${req.method} ${req.path}`));
  });
  // admin imports take the file itself as the body: mounted before the JSON-only API router
  app.use(
    '/api/admin/imports',
    adminImportRoutes(ctx, sec, ctx.adminImport ?? { jobs: new ImportJobs(ctx.db, { log: ctx.log }), uploadMaxBytes: 2048 * 1e6 }),
  );
  app.use('/api', api);

  if (opts.clientDir && existsSync(path.join(opts.clientDir, 'index.html'))) {
    const clientDir = opts.clientDir;
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheHtml }));
    // Client-side routes fall back to the app shell.
    app.get(/^\/(?!api\/).*/, (_req, res) =>
      res.sendFile(path.join(clientDir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } }),
    );
  }
  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'not_found', message: `not found: ${req.path}` } });
  });
  app.use(errorHandler(ctx));
  return app;
}

/** helmet's options: a CSP for the map (its worker, canvases, the basemap's origins). */
export function helmetOptions(ctx: Pick<AppContext, 'basemapStyleUrl' | 'basemapOrigins'>): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // MapLibre runs its worker from a blob: URL and draws on canvases; tiles are same-origin.
        'worker-src': ["'self'", 'blob:'],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", ...(ctx.basemapStyleUrl ? [new URL(ctx.basemapStyleUrl).origin] : []), ...(ctx.basemapOrigins ?? [])],
        'style-src': ["'self'", "'unsafe-inline'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * helmet's headers, worked out once: with these options (no function-valued directive) they are
 * the same on every response, so one middleware sets the list instead of helmet's twelve, each a
 * step of the router (issue 13: the per-request cost of `/api/nearby`). The same names, values
 * and removals as helmet's (tests/security/headers-logging.test.ts).
 */
function fixedHeaders(options: Parameters<typeof helmet>[0]) {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const probe = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.push([name, value]),
    removeHeader: (name: string) => removed.push(name),
  };
  let called = false;
  helmet(options)({} as Request, probe as unknown as Response, () => {
    called = true;
  });
  if (!called) throw new Error('helmet did not set its headers synchronously');
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

/** A body parser run only for a request that has a body (the parsers' own first test, without their set-up for every GET). */
function withBody(parser: express.RequestHandler): express.RequestHandler {
  return (req, res, next) => {
    if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) return next();
    return parser(req, res, next);
  };
}

/**
 * Middleware run one after another as one step of the router (each step costs the router a
 * match, a prefix trim and a parameter pass): the same order, and an error — thrown, rejected
 * or passed to `next` — ends the sequence there, as in the router.
 */
function inSequence(...steps: ((req: Request, res: Response, next: NextFunction) => unknown)[]): express.RequestHandler {
  return (req, res, next) => {
    let i = 0;
    const step = (err?: unknown): void => {
      // what the router does with it (an error, 'route', 'router') is what it would have done
      if (err) {
        next(err);
        return;
      }
      if (i === steps.length) {
        next();
        return;
      }
      const fn = steps[i++];
      try {
        const r = fn(req, res, step);
        if (r instanceof Promise) r.catch((e: unknown) => next(e ?? new Error('a middleware rejected')));
      } catch (e) {
        next(e);
      }
    };
    step();
  };
}

/**
 * Behind a reverse proxy with TRUST_PROXY off, every client has the proxy's address: the
 * per-address limits (feedback, failed logins, analysis jobs) then count all of them as one.
 * Said once per app, at warn level, on the first request that carries X-Forwarded-For.
 */
function untrustedForwardWarning(ctx: AppContext) {
  let warned = false;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      ctx.log.warn(
        { remoteAddress: req.socket.remoteAddress },
        'requests arrive with X-Forwarded-For but TRUST_PROXY is off: all clients behind the proxy share one address for the ' +
          'per-address limits; set TRUST_PROXY to the hop count (1 for one nginx) or the proxy addresses (docs/security.md)',
      );
    }
    next();
  };
}

function noCacheHtml(res: Response, filePath: string) {
  if (filePath.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}

function errorHandler(ctx: AppContext): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof AppError) {
      const retryAfterS = (err as { retryAfterS?: unknown }).retryAfterS;
      if (typeof retryAfterS === 'number' && !res.headersSent) res.setHeader('Retry-After', String(retryAfterS));
      if (err.status >= 500) ctx.log.warn({ code: err.code, path: req.path }, err.message);
      res.status(err.status).json({ error: { code: err.code, message: err.message, field: err.field, details: err.details } });
      return;
    }
    // PostgreSQL refused a value the validation let through (a safety net: should not happen).
    const sqlState = (err as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(sqlState)) {
      ctx.log.warn({ sqlState, path: req.path }, 'database rejected a value');
      const conflict = sqlState === '23505';
      res.status(conflict ? 409 : 400).json({
        error: {
          code: conflict ? 'conflict' : 'invalid_request',
          message: conflict ? 'that already exists' : 'a value was rejected by the database',
        },
      });
      return;
    }
    // body-parser errors: malformed JSON, body too large
    const status = (err as { status?: number }).status;
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'the request body is not valid JSON', field: 'body' } });
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'too_large', message: 'the request body is too large', field: 'body' } });
      return;
    }
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'bad_request', message: 'bad request' } });
      return;
    }
    // Name, message and stack only: driver errors carry the query's bound values (user input).
    const e = err as { name?: string; message?: string; stack?: string; code?: unknown };
    ctx.log.error({ err: { type: e?.name, message: e?.message, code: e?.code, stack: e?.stack }, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal server error' } });
  };
}
