// Turns a zod error into the 400 answer: the first problem, with the field it is about.
import type { z } from 'zod';
import { formatPath, issuePath } from '@noc/shared/format-path';
import { HttpError } from './errors.ts';

export function zodToHttpError(error: z.ZodError, what: string): HttpError {
  const issue = error.issues[0];
  if (!issue) return new HttpError(400, what);
  const field = formatPath(issuePath(issue));
  return new HttpError(400, `${what}: ${field ? `${field}: ` : ''}${issue.message}`, field || undefined);
}
