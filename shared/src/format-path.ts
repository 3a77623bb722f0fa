import type { z } from 'zod';

/** Writes a validation path the way a person reads it: `samples[0].fields.rtt_ms`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** The path a validation problem is about; an unknown key is named itself, not the object holding it. */
export function issuePath(issue: { code: string; path: ReadonlyArray<PropertyKey>; keys?: readonly string[] }): PropertyKey[] {
  const key = issue.code === 'unrecognized_keys' ? issue.keys?.[0] : undefined;
  return key ? [...issue.path, key] : [...issue.path];
}

/**
 * Validates a value given as JSON text or already parsed; the first problem is
 * handed to `fail` with the field it is about ('' for text that is not JSON).
 */
export function parseJsonWith<T>(schema: z.ZodType<T>, input: unknown, fail: (field: string, detail: string) => Error): T {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw fail('', `invalid JSON (${(err as Error).message})`);
    }
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw fail(formatPath(issuePath(issue)), issue.message);
}
