// A fast check of a site probe's batch (`POST /api/ingest`) against the
// metrics schema, for the gateway's hot path. It only ever accepts: a batch it
// answers null for is checked again with the zod schema (`ingestBatchSchema`),
// which gives the error that names the field. Its checks are compiled from the
// same zod schemas (`tagSchemas`, `fieldSchemas`: types, bounds, integers,
// lengths, enums, strict keys); a part of a schema it does not know how to
// read (a regex, a refinement) makes it answer null for that measurement, so
// it can never be less strict than the schema. The batch it accepts is the
// input itself, not a copy.
import type { z } from 'zod';
import {
  fieldSchemas,
  MAX_SAMPLES_PER_BATCH,
  PROBE_MEASUREMENTS,
  SAMPLE_MAX_AGE_MS,
  SAMPLE_MAX_AHEAD_MS,
  tagSchemas,
  type IngestBatch,
} from './metrics.ts';

type Check = (value: unknown) => boolean;

interface MeasurementCheck {
  tags: Map<string, Check>;
  requiredTags: string[];
  fields: Map<string, Check>;
}

interface CheckDef {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  maximum?: number;
  minimum?: number;
}

/** The zod definition of a schema: its type, inner schema, entries and checks (zod 4's `_zod.def`). */
function defOf(schema: z.ZodType): {
  type: string;
  innerType?: z.ZodType;
  entries?: Record<string, unknown>;
  checks?: { _zod: { def: CheckDef } }[];
} {
  return (schema as unknown as { _zod: { def: ReturnType<typeof defOf> } })._zod.def;
}

/** A check for one value of a primitive schema, or null when the schema holds something this module does not read. */
function compileValue(schema: z.ZodType): Check | null {
  const def = defOf(schema);
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  if (def.type === 'boolean') return checks.length === 0 ? (v) => typeof v === 'boolean' : null;
  if (def.type === 'enum') {
    if (checks.length > 0 || !def.entries) return null;
    const values = new Set(Object.values(def.entries));
    return (v) => typeof v === 'string' && values.has(v);
  }
  if (def.type === 'number') {
    let min = -Infinity;
    let max = Infinity;
    let minInclusive = true;
    let maxInclusive = true;
    let integer = false;
    for (const c of checks) {
      if (c.check === 'greater_than' && typeof c.value === 'number') [min, minInclusive] = [c.value, c.inclusive === true];
      else if (c.check === 'less_than' && typeof c.value === 'number') [max, maxInclusive] = [c.value, c.inclusive === true];
      else if (c.check === 'number_format' && c.format === 'safeint') integer = true;
      else return null;
    }
    return (v) =>
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (integer ? Number.isSafeInteger(v) : true) &&
      (minInclusive ? v >= min : v > min) &&
      (maxInclusive ? v <= max : v < max);
  }
  if (def.type === 'string') {
    let maxLength = Infinity;
    let minLength = 0;
    for (const c of checks) {
      if (c.check === 'max_length' && typeof c.maximum === 'number') maxLength = c.maximum;
      else if (c.check === 'min_length' && typeof c.minimum === 'number') minLength = c.minimum;
      else return null;
    }
    return (v) => typeof v === 'string' && v.length <= maxLength && v.length >= minLength;
  }
  return null;
}

/** The checks of a strict object's keys; `required` gets the keys that are not optional. Null when not readable. */
function compileObject(schema: z.ZodObject, required: string[] | null): Map<string, Check> | null {
  const def = defOf(schema) as { catchall?: z.ZodType; checks?: unknown[] };
  // Only a strict object (unknown keys refused) with no checks of its own.
  if (!def.catchall || defOf(def.catchall).type !== 'never' || (def.checks?.length ?? 0) > 0) return null;
  const out = new Map<string, Check>();
  for (const [key, value] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const d = defOf(value);
    const optional = d.type === 'optional';
    if (optional && (d.checks?.length ?? 0) > 0) return null;
    const check = compileValue(optional ? d.innerType! : value);
    if (!check) return null;
    if (!optional) {
      if (!required) return null;
      required.push(key);
    }
    out.set(key, check);
  }
  return out;
}

const CHECKS: ReadonlyMap<string, MeasurementCheck> = new Map(
  PROBE_MEASUREMENTS.flatMap((m) => {
    const requiredTags: string[] = [];
    const tags = compileObject(tagSchemas[m], requiredTags);
    const fields = compileObject(fieldSchemas[m], null);
    return tags && fields ? [[m, { tags, requiredTags, fields }] as const] : [];
  }),
);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function sampleOk(s: unknown, oldest: number, newest: number): boolean {
  if (!isObject(s)) return false;
  let keys = 0;
  for (const key in s) {
    if (key !== 'measurement' && key !== 'tags' && key !== 'fields' && key !== 'time') return false;
    keys++;
  }
  const check = typeof s.measurement === 'string' ? CHECKS.get(s.measurement) : undefined;
  if (!check) return false;
  const { time, tags, fields } = s;
  if (keys !== ('time' in s ? 4 : 3)) return false;
  if ('time' in s && !(typeof time === 'number' && Number.isSafeInteger(time) && time > oldest && time < newest)) return false;
  if (!isObject(tags) || !isObject(fields)) return false;
  for (const key in tags) if (!check.tags.get(key)?.(tags[key])) return false;
  for (const key of check.requiredTags) if (!(key in tags)) return false;
  let n = 0;
  for (const key in fields) {
    if (!check.fields.get(key)?.(fields[key])) return false;
    n++;
  }
  return n > 0;
}

/**
 * The batch when `ingestBatchSchema` surely accepts it, at time `now`; null
 * when it may not (then ask the schema, for its answer and its error).
 */
export function acceptProbeBatch(body: unknown, now: number = Date.now()): IngestBatch | null {
  if (!isObject(body)) return null;
  for (const key in body) if (key !== 'samples') return null;
  const { samples } = body;
  if (!Array.isArray(samples) || samples.length === 0 || samples.length > MAX_SAMPLES_PER_BATCH) return null;
  const oldest = now - SAMPLE_MAX_AGE_MS;
  const newest = now + SAMPLE_MAX_AHEAD_MS;
  for (const s of samples) if (!sampleOk(s, oldest, newest)) return null;
  return body as unknown as IngestBatch;
}
