// Registers a route of the API table (@noc/shared/http-api) on the server: its
// method, path and access rule come from the table; its input is checked with
// the table's zod schemas by Fastify's validation step (after the access rule:
// see auth/access-control.ts), so the handler gets the parsed, typed input and
// bad input is a 400 naming the field. The handler returns the route's answer.
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, FastifyTypeProvider, RouteOptions } from 'fastify';
import type { z } from 'zod';
import type { AnswerOf, InputOf, RouteSpec } from '@noc/shared/http-contract';
import { nocApi, type NocApi, type NocRoute } from '@noc/shared/http-api';
import type { AccessRule } from './auth/access-control.ts';
import { zodToHttpError } from './validation.ts';

/** Fastify's types for schemas that are zod schemas: a part's type is what its schema gives. */
export interface ZodTypeProvider extends FastifyTypeProvider {
  readonly validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  readonly serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

type Part = 'params' | 'querystring' | 'body';

/**
 * Checks one part of a request with its zod schema. A missing body is read as
 * `{}`; the 400 names the field, after `invalid` for the query and the body
 * ("invalid user: username: …") and alone for path parameters ("id: …").
 */
function zodValidator(invalid: string | undefined) {
  return ({ schema, httpPart }: { schema: unknown; httpPart?: string }) => {
    const zod = schema as z.ZodType;
    const part = httpPart as Part;
    return (data: unknown) => {
      const input = data === null && part === 'body' ? {} : data;
      const parsed = zod.safeParse(input);
      if (!parsed.success) {
        if (part === 'params') return { error: zodToHttpError(parsed.error, '', false) };
        return { error: zodToHttpError(parsed.error, invalid ?? `invalid ${part === 'body' ? 'body' : 'query'}`) };
      }
      // A schema that takes anything leaves a missing body missing.
      if (parsed.data === input && input !== data) return {};
      return { value: parsed.data };
    };
  };
}

export interface RouteInput<R extends RouteSpec> {
  params: InputOf<R, 'params'>;
  query: InputOf<R, 'query'>;
  body: InputOf<R, 'body'>;
}

export type RouteHandler<R extends RouteSpec> = (
  input: RouteInput<R>,
  req: FastifyRequest,
  reply: FastifyReply,
) => Promise<AnswerOf<R>> | AnswerOf<R>;

export interface RouteExtras {
  /** For a route about a site: which one (see AccessRule.site). */
  site?: AccessRule['site'];
  /** Fastify options of this route only (bodyLimit, preValidation …). */
  options?: Pick<RouteOptions, 'bodyLimit' | 'preValidation'>;
}

/** The route's access rule as the access control reads it. */
export function accessOf(spec: RouteSpec, site?: AccessRule['site']) {
  const { access } = spec;
  if ('public' in access) return { public: access.public };
  return { roles: access.roles, ...(access.accessToken ? { accessToken: true } : {}), ...(site ? { site } : {}) };
}

/** The schemas Fastify validates for a route. */
export function schemaOf(spec: RouteSpec): FastifySchema {
  return {
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { querystring: spec.query } : {}),
    ...(spec.body ? { body: spec.body } : {}),
  };
}

/** Adds route `name` of the NOC API with its handler. */
export function apiRoute<N extends NocRoute>(
  app: FastifyInstance,
  name: N,
  handler: RouteHandler<NocApi[N]>,
  extras: RouteExtras = {},
): void {
  const spec: RouteSpec = nocApi[name];
  if (spec.websocket) throw new Error(`${name} is a WebSocket endpoint: register it with its socket handler`);
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.path,
    schema: schemaOf(spec),
    validatorCompiler: zodValidator(spec.invalid),
    ...extras.options,
    config: { access: accessOf(spec, extras.site) },
    handler: async (req, reply) => {
      reply.code(spec.status ?? 200);
      // The validation step has replaced each part with what its schema gave.
      const input = { params: req.params, query: req.query, body: req.body } as RouteInput<NocApi[N]>;
      const answer = await handler(input, req, reply);
      if (reply.sent) return reply;
      return answer === undefined ? reply.send() : answer;
    },
  });
}
