// The queries of `GET /api/history` and `GET /api/history/last`: a measurement,
// one of its numeric fields, tag filters (`site` and the measurement's own
// tags) and, for a window, its length or its bounds; and what they answer.
import { z } from 'zod';
import { MEASUREMENTS, NUMERIC_FIELDS, tagSchemas, type Measurement } from './metrics.ts';
import { queryEpochMs } from './query-number.ts';

/** The 1-minute means are kept this long (retention policy `year`): the longest window. */
export const YEAR_RETENTION_MS = 400 * 24 * 3600_000;
const MAX_MINUTES = YEAR_RETENTION_MS / 60_000;
/** The query's own parameters; every other one is a tag filter. */
export const HISTORY_OWN_PARAMS: readonly string[] = ['measurement', 'field', 'minutes', 'from', 'to'];

const baseSchema = z
  .object({
    measurement: z.enum(MEASUREMENTS as [Measurement, ...Measurement[]]),
    field: z.string().max(40),
  })
  .catchall(z.string().max(64));

type Base = z.infer<typeof baseSchema>;

/** The field must be a numeric one of the measurement; other parameters are tag filters. */
function checkFieldAndTags(q: Base, ctx: z.RefinementCtx): void {
  if (!NUMERIC_FIELDS[q.measurement].includes(q.field)) {
    ctx.addIssue({
      code: 'custom',
      path: ['field'],
      message: `"${q.field}" is not a numeric field of ${q.measurement} (one of: ${NUMERIC_FIELDS[q.measurement].join(', ')})`,
    });
  }
  // Every measurement but the SFU nodes' own load belongs to a site.
  const allowedTags = [...Object.keys(tagSchemas[q.measurement].shape), ...(q.measurement === 'sfu' ? [] : ['site'])];
  for (const key of Object.keys(q)) {
    if (HISTORY_OWN_PARAMS.includes(key)) continue;
    if (!allowedTags.includes(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `unknown filter for ${q.measurement}` });
    }
  }
}

export const historyQuerySchema = baseSchema
  .extend({
    /** The window's length back from `to` (default now); up to the 400 days of 1-minute means. */
    minutes: z.coerce.number().int().min(1).max(MAX_MINUTES).default(15),
    /** Optional explicit window (ms since the epoch); `from` wins over `minutes`. */
    from: queryEpochMs.optional(),
    to: queryEpochMs.optional(),
  })
  .superRefine((q, ctx) => {
    checkFieldAndTags(q, ctx);
    if (q.from !== undefined && q.to !== undefined && q.to <= q.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }
  });

export const historyLastQuerySchema = baseSchema.extend({}).superRefine(checkFieldAndTags);

/** The tag filters of a history query: every parameter that is not its own. */
export function historyTagFilters(q: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (!HISTORY_OWN_PARAMS.includes(k) && typeof v === 'string') tags[k] = v;
  return tags;
}

/** A point of a series: [time ms, value]. */
export type SeriesPoint = [number, number];

export interface HistoryAnswer {
  measurement: Measurement;
  field: string;
  since: number;
  to: number;
  /** raw points, or means over buckets of bucketSeconds, from the raw or the 400-day policy. */
  resolution: { source: 'raw' | 'year'; bucketSeconds: number | null };
  /** Per site. */
  series: Record<string, SeriesPoint[]>;
}

export interface HistoryLastAnswer {
  measurement: Measurement;
  field: string;
  /** The latest point per site. */
  values: Record<string, SeriesPoint>;
}
