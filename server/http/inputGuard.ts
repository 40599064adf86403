/**
 * Guards every API request passes before any route sees it: write bodies must be JSON,
 * and no text anywhere (query, path, body) may hold what PostgreSQL cannot store or a
 * JSON client cannot round-trip — a NUL character or a lone UTF-16 surrogate. Without
 * this, `?q=%00` reaches a bound parameter and PostgreSQL answers "invalid byte
 * sequence" (a 500); here it is a 400 naming the field.
 */
import type { NextFunction, Request, Response } from 'express';
import { AppError, ValidationError } from '../errors';

/** NUL, or a surrogate that is not half of a pair. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what PostgreSQL text cannot store; refusing it is the point
const UNSTORABLE = /\u0000|\p{Cs}/u;

/** Deepest nesting a JSON body may have; our widest body (a facility) is 2 levels deep. */
export const MAX_BODY_DEPTH = 8;

function badText(field: string): never {
  throw new ValidationError(field, `${field}: must not contain NUL characters or unpaired surrogates`);
}

/** Throws a 400 naming the first field with unstorable text (iterative: no stack for deep input). */
export function checkText(value: unknown, root: string[] = []): void {
  const stack: { v: unknown; path: string[] }[] = [{ v: value, path: root }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) badText(path.join('.') || 'body');
    } else if (v && typeof v === 'object') {
      if (path.length - root.length >= MAX_BODY_DEPTH) {
        throw new ValidationError(path.join('.') || 'body', `${path.join('.') || 'body'}: nested too deeply`);
      }
      for (const [k, child] of Object.entries(v)) {
        if (UNSTORABLE.test(k)) badText([...path, 'key'].join('.'));
        stack.push({ v: child, path: [...path, k] });
      }
    }
  }
}

export function guardInput(req: Request, _res: Response, next: NextFunction): void {
  if (/%00/i.test(req.path)) throw new ValidationError('path', 'path: must not contain NUL characters');
  const query = req.query;
  for (const k in query) {
    if (UNSTORABLE.test(k)) badText('query');
    const v = query[k];
    // a plain value (the 'simple' query parser's usual answer) is tested at once, without checkText's stack
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) badText(k);
    } else checkText(v, [k]);
  }
  if (req.body !== undefined) checkText(req.body);
  next();
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** 415 for a write that carries a body that is not JSON (form posts, text/plain, multipart). */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (WRITE_METHODS.has(req.method)) {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      throw new AppError(415, 'unsupported_media_type', 'send the request body as application/json', 'content-type');
    }
  }
  next();
}
