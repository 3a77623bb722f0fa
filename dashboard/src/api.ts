// JSON requests to the NOC server (same origin, the session cookie goes along),
// by the name of a route of the API table (@noc/shared/http-api): its method and
// path come from the table, its parameters, query and body are typed by the
// route's schemas and the answer by its answer type:
//
//   const { incident } = await api('incidents.ack', { params: { id }, body: { comment } });
//
// A refusal becomes an ApiError carrying the status, the server's message, the
// field it names and, when rate-limited, how long to wait.
import type { z } from 'zod';
import { nocApi, type NocAnswer, type NocApi, type NocRoute } from '@noc/shared/http-api';
import { fillPath, type RouteSpec } from '@noc/shared/http-contract';

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
  /** Do not treat a 401 as the end of the session (sign-in, session check). */
  quiet401?: boolean;
  headers?: Record<string, string>;
}

/** Path parameters and query values travel as text: numbers are taken too. */
type AsText<T> = { [K in keyof T]: T[K] extends string | undefined ? T[K] | number : T[K] };
type ParamsArg<R extends RouteSpec> = R['params'] extends z.ZodType
  ? { params: { [K in keyof z.input<R['params']>]: string | number } }
  : { params?: undefined };
/** The query as its schema reads it, or parameters a caller has put together itself. */
type QueryArg<R extends RouteSpec> = R['query'] extends z.ZodType
  ? { query?: AsText<z.input<R['query']>> | URLSearchParams }
  : { query?: undefined };
type BodyArg<R extends RouteSpec> = R['body'] extends z.ZodType ? { body: z.input<R['body']> } : { body?: undefined };

/** What a call of route `N` sends. */
export type ApiCall<N extends NocRoute> = ParamsArg<NocApi[N]> & QueryArg<NocApi[N]> & BodyArg<NocApi[N]> & ApiOptions;
type CallArgs<N extends NocRoute> = object extends ApiCall<N> ? [call?: ApiCall<N>] : [call: ApiCall<N>];

/** The address of a call: the route's path with its parameters, and its query. */
export function apiPath<N extends NocRoute>(name: N, call: Partial<{ params: object; query: object }> = {}): string {
  const path = fillPath(nocApi[name].path, call.params as Record<string, string | number> | undefined);
  const query = call.query instanceof URLSearchParams ? call.query : new URLSearchParams();
  if (call.query && !(call.query instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(call.query)) if (v !== undefined && v !== null) query.set(k, String(v));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
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

export async function api<N extends NocRoute>(name: N, ...[call]: CallArgs<N>): Promise<NocAnswer<N>> {
  const opts: ApiOptions & { body?: unknown; params?: object; query?: object } = call ?? {};
  const path = apiPath(name, opts);
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const init: RequestInit = { method: nocApi[name].method, headers, credentials: 'same-origin' };
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
  // The table's answer type is the server's promise for this route.
  if (res.status === 204) return undefined as NocAnswer<N>;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as NocAnswer<N>;
}

/** The message to show for any failure. */
export const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
