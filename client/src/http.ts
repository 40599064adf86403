/**
 * The one HTTP client of the atlas (same origin). Every feature calls the API through
 * `request` / `getJson`, so there is one error class, one CSRF token and one place that
 * knows how the server reports errors: `{ error: { code, message, field?, details? } }`
 * (server/errors.ts).
 *
 * - Failures become `ApiError` (status 0 when the request never reached the server).
 * - Writes (POST/PATCH/DELETE) carry the session's `X-CSRF-Token` (docs/security.md); the
 *   token is set once by whoever learns it (sign-in, `/api/auth/me`) via `setCsrfToken`.
 * - A 401 calls the handler set with `onUnauthorized` (the tools store forgets the user).
 * - An abort — before the response or while its body arrives — rethrows the AbortError:
 *   it is the caller's cancellation, never an "empty body" or a network error.
 */
import type { ApiErrorBody } from '../../core/api';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never reached the server. */
    readonly status: number,
    /** The server's error code (`invalid_request`, `no_network`, …), `http_<status>` or `network`. */
    readonly code: string,
    message: string,
    /** The request field the server named as wrong (400s). */
    readonly field?: string,
    readonly details?: Record<string, unknown>,
    /** Seconds to wait after a 429/503 (`Retry-After`, or `details.retryAfterS`). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

let base = '';
let csrfToken: string | null = null;

/** The API origin for paths starting with `/` (default: the page's own origin). For Node tests and embedding. */
export function setApiBase(origin: string): void {
  base = origin.replace(/\/$/, '');
}

let unauthorized: (() => void) | null = null;

/** The session's CSRF token, sent with every write (null when signed out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on a 401 answer (the session has gone). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorized = handler;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type QueryParams = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  /** Query parameters; `undefined`/`null` values are left out. */
  params?: QueryParams;
  /** JSON body, or a Blob/File sent as `application/octet-stream`. */
  body?: unknown;
  signal?: AbortSignal;
}

/** `path?query` with the defined parameters only. */
export function withQuery(path: string, params: QueryParams = {}): string {
  if (path.startsWith('/')) path = base + path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) qs.set(k, String(v));
  return qs.size ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

function retryAfter(res: Response, details?: Record<string, unknown>): number | undefined {
  const header = Number(res.headers.get('Retry-After'));
  if (Number.isFinite(header) && header > 0) return header;
  const d = details?.retryAfterS;
  return typeof d === 'number' ? d : undefined;
}

/** The error a non-2xx answer stands for, from its JSON error body when it has one. */
export function errorFromResponse(res: Response, json: unknown): ApiError {
  const err = (json as Partial<ApiErrorBody> | null)?.error as
    | { code?: string; message?: string; field?: string; details?: Record<string, unknown> }
    | undefined;
  return new ApiError(
    res.status,
    err?.code ?? `http_${res.status}`,
    err?.message ?? (res.statusText || `HTTP ${res.status}`),
    err?.field,
    err?.details,
    retryAfter(res, err?.details),
  );
}

/** A `GET` refused with 429/503 and a short `Retry-After` is asked again this many times. */
const GET_RETRIES = 2;
/** Longest `Retry-After` (s) worth waiting for inside one call; a longer one goes to the caller. */
const MAX_RETRY_WAIT_S = 10;

/** Resolves after `s` seconds, or rejects at once when `signal` aborts. */
function pause(s: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, s * 1000);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * One API call: JSON in and out; resolves `undefined` for 204. A `GET` the server refuses for
 * load (429 `too_many_analyses`, 503 busy) with a `Retry-After` of at most 10 s is retried after
 * that wait, twice at most — the planner asks for several analyses of one view at once.
 */
export async function request<T>(method: Method, path: string, o: RequestOptions = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce<T>(method, path, o);
    } catch (e) {
      const retry =
        method === 'GET' &&
        attempt < GET_RETRIES &&
        e instanceof ApiError &&
        (e.status === 429 || e.status === 503) &&
        e.retryAfterS !== undefined &&
        e.retryAfterS <= MAX_RETRY_WAIT_S;
      if (!retry) throw e;
      await pause(e.retryAfterS as number, o.signal);
    }
  }
}

async function requestOnce<T>(method: Method, path: string, o: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (o.body instanceof Blob) {
    headers['Content-Type'] = 'application/octet-stream';
    body = o.body;
  } else if (o.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(o.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, o.params), { method, headers, body, credentials: 'same-origin', signal: o.signal });
  } catch (e) {
    if (isAbort(e) || o.signal?.aborted) throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (res.status === 204) return undefined as T;
  let json: unknown = null;
  let parsed = false;
  try {
    json = await res.json();
    parsed = true;
  } catch (e) {
    // an abort while the body arrives is the caller's cancellation, not an empty body
    if (o.signal?.aborted || isAbort(e)) throw e;
    /* empty or not JSON */
  }
  if (!res.ok) {
    if (res.status === 401) unauthorized?.();
    throw errorFromResponse(res, json);
  }
  if (!parsed) throw new ApiError(res.status, 'bad_response', `${path}: the answer is not JSON`);
  return json as T;
}

/** `GET path?params` as JSON. */
export function getJson<T>(path: string, params?: QueryParams, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, { params, signal });
}

/** A file download (`GET`): the response for its body and headers; a non-2xx answer throws `ApiError`. */
export async function getFile(path: string, params?: QueryParams, signal?: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(withQuery(path, params), { credentials: 'same-origin', signal });
  } catch (e) {
    if (isAbort(e) || signal?.aborted) throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (res.ok) return res;
  let json: unknown = null;
  try {
    json = await res.json();
  } catch (e) {
    if (signal?.aborted || isAbort(e)) throw e;
  }
  throw errorFromResponse(res, json);
}
