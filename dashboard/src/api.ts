// JSON requests to the NOC server (same origin, the session cookie goes along).
// A refusal becomes an ApiError carrying the status, the server's message, the
// field it names and, when rate-limited, how long to wait.

export class ApiError extends Error {
  readonly status: number;
  /** The request field the server names as wrong, if any. */
  readonly field: string | undefined;
  /** Seconds to wait before trying again (429 with Retry-After). */
  readonly retryAfterS: number | undefined;

  constructor(status: number, message: string, field?: string, retryAfterS?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.field = field;
    this.retryAfterS = retryAfterS;
  }
}

type UnauthorisedHandler = (path: string) => void;
let onUnauthorised: UnauthorisedHandler | null = null;

/** Called when a request other than sign-in answers 401: the session ended. */
export function setUnauthorisedHandler(handler: UnauthorisedHandler): void {
  onUnauthorised = handler;
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Do not treat a 401 as the end of the session (sign-in, session check). */
  quiet401?: boolean;
  headers?: Record<string, string>;
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  let field: string | undefined;
  try {
    const body = (await res.json()) as { error?: unknown; field?: unknown };
    if (typeof body.error === 'string') message = body.error;
    if (typeof body.field === 'string') field = body.field;
  } catch {
    // not JSON: keep the status line
  }
  const retry = Number(res.headers.get('retry-after'));
  return new ApiError(res.status, message, field, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

export async function api<T>(path: string, opts: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const init: RequestInit = { method: opts.method ?? 'GET', headers, credentials: 'same-origin' };
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, (err as Error).message || 'network error');
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.quiet401) onUnauthorised?.(path);
    throw await errorOf(res);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The message to show for any failure. */
export const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
