// Turns a zod error into the 400 answer: the first problem, with the field it is
// about; reads a numeric `:id` of a route before its input is validated.
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { formatPath, issuePath } from '@noc/shared/format-path';
import { numericId } from '@noc/shared/http-api';
import { HttpError } from './errors.ts';

/** The 400 for the first problem: "<what>: <field>: <message>" (without `what` when `prefixed` is false). */
export function zodToHttpError(error: z.ZodError, what: string, prefixed = true): HttpError {
  const issue = error.issues[0];
  if (!issue) return new HttpError(400, what);
  const field = formatPath(issuePath(issue));
  const detail = `${field ? `${field}: ` : ''}${issue.message}`;
  return new HttpError(400, prefixed ? `${what}: ${detail}` : detail, field || undefined);
}

/**
 * The route's `:id` as a positive whole number, or 400 naming `id` ("incident", "window" … say what it numbers),
 * for access rules that look the id up before the route's input is validated.
 */
export function idParam(req: FastifyRequest, what: string): number {
  const raw = (req.params as { id: string }).id;
  const parsed = numericId(what).safeParse(raw);
  if (!parsed.success) throw new HttpError(400, `id: ${parsed.error.issues[0]!.message}`, 'id');
  return parsed.data;
}
