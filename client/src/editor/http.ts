/**
 * Writes to the API (docs/security.md): JSON body, `X-CSRF-Token` of the session, and
 * errors as `WriteError` with the server's field, details and `Retry-After`. A 401 means
 * the session is gone: the tools store forgets the user, so the UI offers sign-in again.
 */
import { useTools } from './tools';

export class WriteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
    /** Seconds to wait after a 429. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    const token = useTools.getState().csrfToken;
    if (token) headers['X-CSRF-Token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new WriteError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (res.status === 204) return undefined as T;
  let json: unknown = null;
  try {
    json = await res.json();
  } catch (e) {
    // an abort while the body arrives is the caller's cancellation, not an empty body
    if (signal?.aborted || (e instanceof DOMException && e.name === 'AbortError')) throw e;
    /* empty or not JSON */
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; field?: string; details?: Record<string, unknown> } } | null)?.error;
    const retryHeader = Number(res.headers.get('Retry-After'));
    const retryAfterS = Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : (err?.details?.retryAfterS as number | undefined);
    if (res.status === 401 && useTools.getState().user) useTools.getState().setSession(null, null);
    throw new WriteError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.field, err?.details, retryAfterS);
  }
  return json as T;
}
