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

const STARTED = Symbol('requestStarted');
type Timed = Response & { [STARTED]?: number };

/**
 * One line per request when it finishes: method, path (no query string: it may carry
 * search text), status and duration. Writes and errors at `info`, reads at `debug` so
 * that a busy map does not flood the log.
 */
export function requestLog(log: Logger) {
  // one listener for every response (no closure per request); the start time rides on the response
  function finished(this: Response) {
    const req = this.req;
    const read = req.method === 'GET' || req.method === 'HEAD';
    // a read that succeeded is logged at debug: nothing to build when debug is off
    if (this.statusCode < 500 && read && !log.isLevelEnabled('debug')) return;
    const ms = Math.round((performance.now() - ((this as Timed)[STARTED] ?? 0)) * 10) / 10;
    const line = { method: req.method, path: req.originalUrl.split('?')[0], status: this.statusCode, ms };
    if (this.statusCode >= 500) log.warn(line, 'request failed');
    else if (read) log.debug(line, 'request');
    else log.info(line, 'request');
  }
  return (_req: Request, res: Response, next: NextFunction) => {
    (res as Timed)[STARTED] = performance.now();
    res.on('finish', finished);
    next();
  };
}
