/**
 * The server's logger and its request log. Secrets never reach the log: cookies,
 * authorization, CSRF tokens and every `password` field are redacted, request bodies
 * are never logged, and database errors lose their bound parameters (PGlite attaches
 * `params` to its errors, which may hold user input).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { NextFunction, Request, Response } from 'express';

/** Paths pino replaces with "[redacted]". `*.x` covers one level of nesting. */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'password',
  'newPassword',
  'currentPassword',
  'csrfToken',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.password_hash',
  '*.csrfToken',
  '*.csrf_token',
  '*.token',
  'err.params',
  'err.query',
  'err.parameters',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const opts = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(opts, destination) : pino(opts);
}

/**
 * One line per request when it finishes: method, path (no query string: it may carry
 * search text), status and duration. Writes and errors at `info`, reads at `debug` so
 * that a busy map does not flood the log.
 */
export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const t0 = performance.now();
    res.on('finish', () => {
      const ms = Math.round((performance.now() - t0) * 10) / 10;
      const line = { method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms };
      if (res.statusCode >= 500) log.warn(line, 'request failed');
      else if (req.method === 'GET' || req.method === 'HEAD') log.debug(line, 'request');
      else log.info(line, 'request');
    });
    next();
  };
}
