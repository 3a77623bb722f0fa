// Turns a zod error into the 400 answer: the first problem, with the field it is about.
import type { z } from 'zod';
import { formatPath } from '@noc/shared/metrics';
import { HttpError } from './errors.ts';

export function zodToHttpError(error: z.ZodError, what: string): HttpError {
  const issue = error.issues[0];
  if (!issue) return new HttpError(400, what);
  // For an unknown key, name the key itself rather than the object holding it.
  const path = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...issue.path, issue.keys[0]] : issue.path;
  const field = formatPath(path);
  return new HttpError(400, `${what}: ${field ? `${field}: ` : ''}${issue.message}`, field || undefined);
}
