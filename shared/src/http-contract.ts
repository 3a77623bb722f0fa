// The shape of an HTTP contract: a table of routes, each with its method, path,
// the zod schemas of its input (path parameters, query, body), the type of its
// answer and who may call it. Servers register routes from such a table and
// clients call them by name, so both ends read one definition.
import type { z } from 'zod';
import type { UserRole } from './auth.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

declare const ANSWER: unique symbol;
/** The type of a route's answer, carried by the table for the type checker only. */
export interface Answer<T> {
  readonly [ANSWER]?: T;
}
/** Names a route's answer type in a table: `answer: answer<{ user: SessionUser }>()`. */
export const answer = <T>(): Answer<T> => ({});

/** Who may call a route: anyone (with the reason), or the roles allowed. */
export type RouteAccess =
  | { public: string }
  | {
      roles: readonly UserRole[];
      /** Also let in the holder of an SFU access token sent as `Authorization: Bearer <token>`. */
      accessToken?: boolean;
    };

export interface RouteSpec {
  method: HttpMethod;
  /** Fastify's form: `/api/incidents/:id`. */
  path: string;
  access: RouteAccess;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The start of the 400 message for input that fails its schema ("invalid user: username: …"). */
  invalid?: string;
  /** The status of a successful answer (200 when not given; 204 answers nothing). */
  status?: number;
  /** A WebSocket endpoint: its upgrade request is the route. */
  websocket?: true;
  answer: Answer<unknown>;
}

export type RouteTable = Record<string, RouteSpec>;

export type AnswerOf<R extends RouteSpec> = R['answer'] extends Answer<infer T> ? T : never;
/** The parsed input a handler receives (zod's output: defaults filled, strings turned into numbers). */
export type InputOf<R extends RouteSpec, K extends 'params' | 'query' | 'body'> = R[K] extends z.ZodType ? z.output<R[K]> : undefined;

/** A table checked against RouteSpec, keeping each route's own types. */
export const routeTable = <T extends RouteTable>(table: T): T => table;

/** The path of a route with its parameters filled in (each encoded as one path segment). */
export function fillPath(path: string, params: Record<string, string | number> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${path}: parameter "${name}" is missing`);
    return encodeURIComponent(String(value));
  });
}
