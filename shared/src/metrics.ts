// The metrics schema (InfluxDB database `noc`): measurements, their tags and
// fields with units in the names. Probes send samples in this shape to the
// ingest gateway, which stamps the `site` tag from the probe's credentials.
import { z } from 'zod';
export { formatPath } from './format-path.ts';

export const DATABASE = 'noc';

const pct = z.number().min(0).max(100);
const ms = z.number().min(0).max(600_000);
const kbps = z.number().min(0).max(10_000_000);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Fields of each measurement. Every field is optional; a sample needs at least one. */
export const fieldSchemas = {
  link: z.strictObject({
    rtt_ms: ms.optional(),
    jitter_ms: ms.optional(),
    loss_pct: pct.optional(),
    up_kbps: kbps.optional(),
    down_kbps: kbps.optional(),
    reachable: z.boolean().optional(),
  }),
  media: z.strictObject({
    bitrate_kbps: kbps.optional(),
    loss_pct: pct.optional(),
    jitter_ms: ms.optional(),
    fps: z.number().min(0).max(240).optional(),
    width: count.optional(),
    height: count.optional(),
    freeze_count: count.optional(),
    freeze_ms: ms.optional(),
    nack: count.optional(),
    pli: count.optional(),
    score: z.number().min(0).max(10).optional(),
    mos: z.number().min(1).max(5).optional(),
    audio_level: z.number().min(0).max(1).optional(),
  }),
  power: z.strictObject({
    on_mains: z.boolean().optional(),
    status: z.string().max(64).optional(),
    battery_pct: pct.optional(),
    runtime_s: z.number().min(0).max(1_000_000).optional(),
    input_v: z.number().min(0).max(500).optional(),
    load_pct: z.number().min(0).max(200).optional(),
  }),
  env: z.strictObject({
    temp_c: z.number().min(-50).max(100).optional(),
    humidity_pct: pct.optional(),
  }),
  sfu: z.strictObject({
    cpu_pct: z.number().min(0).max(10_000).optional(),
    rss_mb: z.number().min(0).max(1_000_000).optional(),
    rooms: count.optional(),
    transports: count.optional(),
    producers: count.optional(),
    consumers: count.optional(),
  }),
  probe: z.strictObject({
    seq: count.optional(),
    uptime_s: z.number().min(0).max(1e9).optional(),
    spool_depth: count.optional(),
    /** Samples the probe lost since it started: spool full, refused by the gateway, or not writable to disk. */
    dropped: count.optional(),
    /** The probe agent's version. */
    version: z.string().max(32).optional(),
  }),
  /** The NOC's own verdict per site and 20 s window (written by the incident engine, never sent by a probe). */
  quality: z.strictObject({
    /** good, ok, bad or terrible (quality.ts). */
    grade: z.string().max(16).optional(),
    /** 3 good … 0 terrible. */
    grade_level: z.number().int().min(0).max(3).optional(),
    mos: z.number().min(1).max(5).optional(),
    loss_pct: pct.optional(),
    jitter_ms: ms.optional(),
    rtt_ms: ms.optional(),
  }),
  /** A capacity test's figures while it runs (written by the NOC that hosts the run, never sent by a probe). */
  loadtest: z.strictObject({
    /** The run's id: an identifier, so a field. */
    run_id: count.optional(),
    seats_wanted: count.optional(),
    seats_joined: count.optional(),
    join_p95_ms: ms.optional(),
    signalling_errors: count.optional(),
    consumers: count.optional(),
    /** The busiest SFU worker, % of one core. */
    cpu_max_pct: z.number().min(0).max(10_000).optional(),
    loss_pct: pct.optional(),
    browser_fps: z.number().min(0).max(240).optional(),
    first_picture_ms: ms.optional(),
    freeze_max_ms: ms.optional(),
    generator_cpu_pct: z.number().min(0).max(10_000).optional(),
  }),
} as const;

/** Tags a sender may set (besides `site`, which only the gateway sets). */
export const tagSchemas = {
  link: z.strictObject({ target: z.enum(['sfu', 'backup', 'isp']) }),
  /** `node` is set when the SFU node measured it; endpoints' own figures carry none. */
  media: z.strictObject({
    kind: z.enum(['audio', 'video']),
    direction: z.enum(['send', 'recv']),
    node: z.enum(['main', 'backup']).optional(),
  }),
  power: z.strictObject({}),
  env: z.strictObject({}),
  sfu: z.strictObject({ node: z.enum(['main', 'backup']), worker: z.string().regex(/^[0-9]{1,10}$/) }),
  probe: z.strictObject({}),
  quality: z.strictObject({}),
  /** `scenario`: capacity or ingest. */
  loadtest: z.strictObject({ scenario: z.enum(['capacity', 'ingest']) }),
} as const;

export type Measurement = keyof typeof fieldSchemas;
export const MEASUREMENTS = Object.keys(fieldSchemas) as Measurement[];
/** What a site probe may send; `sfu` comes from the SFU nodes only. */
export const PROBE_MEASUREMENTS = ['link', 'media', 'power', 'env', 'probe'] as const satisfies Measurement[];

export type FieldValue = number | boolean | string;
export type Fields = Record<string, FieldValue>;
export type Tags = Record<string, string>;

/** Fields whose values are numbers, by measurement: the ones a chart or a query can use. */
export const NUMERIC_FIELDS: Record<Measurement, readonly string[]> = {
  link: ['rtt_ms', 'jitter_ms', 'loss_pct', 'up_kbps', 'down_kbps'],
  media: [
    'bitrate_kbps',
    'loss_pct',
    'jitter_ms',
    'fps',
    'width',
    'height',
    'freeze_count',
    'freeze_ms',
    'nack',
    'pli',
    'score',
    'mos',
    'audio_level',
  ],
  power: ['battery_pct', 'runtime_s', 'input_v', 'load_pct'],
  env: ['temp_c', 'humidity_pct'],
  sfu: ['cpu_pct', 'rss_mb', 'rooms', 'transports', 'producers', 'consumers'],
  probe: ['seq', 'uptime_s', 'spool_depth', 'dropped'],
  quality: ['grade_level', 'mos', 'loss_pct', 'jitter_ms', 'rtt_ms'],
  loadtest: [
    'seats_wanted',
    'seats_joined',
    'join_p95_ms',
    'signalling_errors',
    'consumers',
    'cpu_max_pct',
    'loss_pct',
    'browser_fps',
    'first_picture_ms',
    'freeze_max_ms',
    'generator_cpu_pct',
  ],
};

/** Fields whose values are yes or no, by measurement: a report reads them as the share of samples that said yes. */
export const BOOLEAN_FIELDS: Record<Measurement, readonly string[]> = {
  link: ['reachable'],
  media: [],
  power: ['on_mains'],
  env: [],
  sfu: [],
  probe: [],
  quality: [],
  loadtest: [],
};

/** A stored point: what the gateway writes and the store returns. */
export interface Point {
  measurement: Measurement;
  tags: Tags;
  fields: Fields;
  /** Milliseconds since the Unix epoch. */
  time: number;
}

/** A sample's time must be newer than this before now (the raw retention)… */
export const SAMPLE_MAX_AGE_MS = 14 * 24 * 3600_000;
/** …and less than this after now. */
export const SAMPLE_MAX_AHEAD_MS = 5 * 60_000;

function sampleOf<M extends Measurement, T extends z.ZodObject, F extends z.ZodObject>(measurement: M, tags: T, fields: F) {
  return z.strictObject({
    measurement: z.literal(measurement),
    time: z
      .number()
      .int()
      .refine((t) => t > Date.now() - SAMPLE_MAX_AGE_MS, 'is older than the 14-day raw retention')
      .refine((t) => t < Date.now() + SAMPLE_MAX_AHEAD_MS, 'is more than 5 minutes in the future')
      .optional(),
    tags,
    fields: fields.refine((f: object) => Object.keys(f).length > 0, 'must hold at least one field'),
  });
}

export const probeSampleSchema = z.discriminatedUnion('measurement', [
  sampleOf('link', tagSchemas.link, fieldSchemas.link),
  sampleOf('media', tagSchemas.media, fieldSchemas.media),
  sampleOf('power', tagSchemas.power, fieldSchemas.power),
  sampleOf('env', tagSchemas.env, fieldSchemas.env),
  sampleOf('probe', tagSchemas.probe, fieldSchemas.probe),
]);
export type ProbeSample = z.infer<typeof probeSampleSchema>;

/** What an SFU node sends: media as it sees each site, and its own load. */
const nodeMediaTags = z.strictObject({
  site: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a site id')
    .max(40),
  kind: z.enum(['audio', 'video']),
  direction: z.enum(['send', 'recv']),
  node: z.enum(['main', 'backup']),
});
export const nodeSampleSchema = z.discriminatedUnion('measurement', [
  sampleOf('media', nodeMediaTags, fieldSchemas.media),
  sampleOf('sfu', tagSchemas.sfu, fieldSchemas.sfu),
]);
export type NodeSample = z.infer<typeof nodeSampleSchema>;

/** Anything sent to the ingest gateway. */
export type IngestSample = ProbeSample | NodeSample;

export const MAX_SAMPLES_PER_BATCH = 500;

/** Body of `POST /api/ingest` from a site probe. */
export const ingestBatchSchema = z.strictObject({
  samples: z.array(probeSampleSchema).min(1, 'must hold at least one sample').max(MAX_SAMPLES_PER_BATCH),
});
export type IngestBatch = z.infer<typeof ingestBatchSchema>;

/** Body of `POST /api/ingest` from an SFU node. */
export const nodeBatchSchema = z.strictObject({
  samples: z.array(nodeSampleSchema).min(1, 'must hold at least one sample').max(MAX_SAMPLES_PER_BATCH),
});
