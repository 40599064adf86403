/**
 * One error hierarchy for the server. Route code throws these; the error middleware
 * maps them to a status code and a JSON body `{ error: { code, message, field? } }`.
 * Anything else becomes a 500 with no details (the stack goes to the log only).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: a request field is missing or wrong. */
export class ValidationError extends AppError {
  constructor(field: string, message: string, details?: unknown) {
    super(400, 'invalid_request', message, field, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, undefined, details);
  }
}

/** 401: no valid session (never logged in, expired, logged out, or a disabled account). */
export class AuthError extends AppError {
  constructor(message = 'log in to do this', code = 'unauthenticated') {
    super(401, code, message);
  }
}

/** 403: logged in but the role does not allow it, or a CSRF/Origin check failed. */
export class ForbiddenError extends AppError {
  constructor(message = 'your role does not allow this', code = 'forbidden') {
    super(403, code, message);
  }
}

/** 429: a client sent too many requests; `retryAfterS` also goes out as the Retry-After header. */
export class RateLimitError extends AppError {
  constructor(
    readonly retryAfterS: number,
    message = 'too many requests; try again later',
  ) {
    super(429, 'rate_limited', message, undefined, { retryAfterS });
  }
}

/** 429: this client already has its share of analysis jobs running or queued (server/analysis/pool.ts). */
export class AnalysisConcurrencyError extends AppError {
  constructor(
    readonly retryAfterS: number,
    limit: number,
  ) {
    super(
      429,
      'too_many_analyses',
      `you already have ${limit} analyses running or queued (the limit per client); wait for them to finish, then retry`,
      undefined,
      { retryAfterS, perClient: limit },
    );
  }
}

/** 503: the analysis queue is full, or a job ran past its time budget. */
export class AnalysisBusyError extends AppError {
  constructor(
    readonly retryAfterS: number,
    code: 'analysis_queue_full' | 'analysis_timeout',
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(503, code, message, undefined, { retryAfterS, ...details });
  }
}

/** 403: an analysis above the anonymous cost threshold (docs/security.md "Heavy analysis"). */
export class EditorRequiredError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(403, 'editor_required', message, undefined, details);
  }
}

/** 503: the database cannot be reached or is not ready. */
export class DatabaseUnavailableError extends AppError {
  /** Sent as `Retry-After`: a restart or a failover usually takes a few seconds. */
  readonly retryAfterS = 2;
  constructor(message = 'the database is unavailable; retry after the time in Retry-After') {
    super(503, 'database_unavailable', message, undefined, { retryAfterS: 2 });
  }
}

/** Start-up problems (missing PostGIS, bad migrations): fail fast with a plain message. */
export class StartupError extends Error {
  override name = 'StartupError';
}
