// Turns a zod error into the 400 answer: the first problem, with the field it is
// about; reads a request body with a schema; reads a numeric `:id` of a route.
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { formatPath, issuePath } from '@noc/shared/format-path';
import { HttpError } from './errors.ts';

export function zodToHttpError(error: z.ZodError, what: string): HttpError {
  const issue = error.issues[0];
  if (!issue) return new HttpError(400, what);
  const field = formatPath(issuePath(issue));
  return new HttpError(400, `${what}: ${field ? `${field}: ` : ''}${issue.message}`, field || undefined);
}

/** The body checked by `schema`, or the 400 naming the field (an empty body is read as `{}`). */
export function parseBody<S extends z.ZodType>(schema: S, req: FastifyRequest, what: string): z.infer<S> {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) throw zodToHttpError(parsed.error, what);
  return parsed.data;
}

/** The route's `:id` as a positive whole number, or 400 naming `id` ("incident", "window" … say what it numbers). */
export function idParam(req: FastifyRequest, what: string): number {
  const raw = (req.params as { id: string }).id;
  const id = Number(raw);
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(id)) throw new HttpError(400, `id: "${raw}" is not a ${what} number`, 'id');
  return id;
}
