// The probe agent's configuration: one JSON file per site, validated here (the
// agent's one reader of its settings). A bad file is refused with an error that
// names the file and the field. Relative paths in it (spool folder, sensor
// file) are taken from the folder the file is in.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { formatPath, issuePath } from '@noc/shared/format-path';
import { siteSchema } from '@noc/shared/sites';
import { MAX_SAMPLES_PER_BATCH } from '@noc/shared/metrics';

export const LINK_TARGETS = ['sfu', 'backup', 'isp'] as const;
export type LinkTarget = (typeof LINK_TARGETS)[number];

const ms = (min: number, max: number) => z.number().int().min(min).max(max);

/** "host:port", where host is a name, an IPv4 address or an IPv6 address in brackets. */
const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

const endpointSchema = z.string().transform((text, ctx) => {
  const m = HOST_PORT.exec(text);
  const port = Number(m?.[3]);
  if (!m || !(port >= 1 && port <= 65535)) {
    ctx.addIssue({ code: 'custom', message: `must be "host:port" (an IPv6 address in brackets), got "${text}"` });
    return z.NEVER;
  }
  return { host: (m[1] ?? m[2]) as string, port };
});
export type Endpoint = z.output<typeof endpointSchema>;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** A target is "host:port" (UDP echo only, short for { "echo": "host:port" }) or { echo, http? }. */
const targetSchema = z
  .preprocess((v) => (typeof v === 'string' ? { echo: v } : v), z.strictObject({ echo: endpointSchema, http: httpUrl.optional() }))
  .transform((t) => ({ echo: t.echo, http: t.http ?? null }));
export type TargetConfig = z.output<typeof targetSchema>;

/** The room sensor: a file it keeps written, or a command that prints a reading (exactly one). */
const sensorSchema = z
  .strictObject({
    file: z.string().min(1).optional(),
    /** Program and arguments, run without a shell. */
    command: z.array(z.string().min(1)).min(1).optional(),
    intervalMs: ms(1000, 3_600_000).default(10_000),
    /** A file older than this is a stale reading (the sensor stopped writing): skipped. */
    maxAgeS: z.number().int().min(1).max(86_400).default(300),
    /** Limit for the command. */
    timeoutMs: ms(100, 60_000).default(5000),
  })
  .superRefine((s, ctx) => {
    if ((s.file === undefined) === (s.command === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of "file" and "command"' });
    }
  });

const configSchema = z
  .strictObject({
    site: siteSchema.shape.id,
    /** The site's probe token (issued by the NOC from its secret): `<site>.<mac>`. */
    token: z.string().min(3).max(200),
    nocUrl: httpUrl.transform((u) => u.replace(/\/+$/, '')),
    targets: z.strictObject({ sfu: targetSchema, backup: targetSchema.optional(), isp: targetSchema.optional() }),
    link: z
      .strictObject({
        /** How often a link sample per target is reported. */
        intervalMs: ms(200, 60_000).default(1000),
        /** Echo datagrams sent to each target per second. */
        packetsPerSecond: z.number().min(1).max(50).default(5),
        /** Datagrams sent within this window make one sample's RTT, jitter and loss. */
        windowMs: ms(1000, 60_000).default(5000),
        /** A reply later than this counts as lost. */
        replyTimeoutMs: ms(50, 10_000).default(1000),
        /** Limit of the HTTP round trip tried when no echo came back. */
        httpTimeoutMs: ms(100, 30_000).default(2000),
        /** Bytes moved each way by the on-demand bandwidth test (SIGUSR2). */
        bandwidthBytes: z
          .number()
          .int()
          .min(1024)
          .max(16 * 1024 * 1024)
          .default(1_000_000),
        /** Run the bandwidth test once when the agent starts. */
        bandwidthAtStart: z.boolean().default(false),
      })
      .prefault({}),
    ups: z
      .strictObject({
        host: z.string().min(1).max(255),
        port: z.number().int().min(1).max(65535).default(3493),
        name: z.string().min(1).max(64),
        intervalMs: ms(200, 3_600_000).default(2000),
        timeoutMs: ms(100, 60_000).default(3000),
      })
      .optional(),
    sensor: sensorSchema.optional(),
    heartbeat: z.strictObject({ intervalMs: ms(200, 60_000).default(1000) }).prefault({}),
    spoolDir: z.string().min(1),
    spool: z
      .strictObject({
        maxSamples: z.number().int().min(10).max(10_000_000).default(200_000),
        maxBytes: z
          .number()
          .int()
          .min(64 * 1024)
          .max(4 * 1024 ** 3)
          .default(32 * 1024 * 1024),
        /** Accepted so configs of the JSONL spool still load; the SQLite spool has no segments. */
        segmentSamples: z.number().int().min(10).max(1_000_000).optional(),
        /** At most this long between checkpoints of the spool: what a power cut can lose. */
        fsyncIntervalMs: ms(0, 60_000).default(1000),
      })
      .prefault({}),
    send: z
      .strictObject({
        /** Live samples go out this often. */
        intervalMs: ms(100, 60_000).default(1000),
        batchMax: z.number().int().min(1).max(MAX_SAMPLES_PER_BATCH).default(MAX_SAMPLES_PER_BATCH),
        /** Backlog batches per second after an outage (live samples are sent besides). */
        replayBatchesPerSecond: z.number().min(0.1).max(50).default(4),
        timeoutMs: ms(500, 60_000).default(5000),
        /** Longest wait between tries while the gateway is down. */
        retryMaxMs: ms(100, 300_000).default(5000),
        /** How long a stopping agent keeps trying to send what is spooled. */
        flushOnStopMs: ms(0, 60_000).default(3000),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if (!c.token.startsWith(`${c.site}.`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: `is not a probe token of site "${c.site}" (it must start with "${c.site}.")`,
      });
    }
  });

export type AgentConfig = z.output<typeof configSchema>;
export type SensorConfig = NonNullable<AgentConfig['sensor']>;
export type UpsConfig = NonNullable<AgentConfig['ups']>;

export class ConfigError extends Error {
  readonly file: string;
  readonly field: string;

  constructor(file: string, field: string, detail: string) {
    super(`${file}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'ConfigError';
    this.file = file;
    this.field = field;
  }
}

/** Validates a parsed config; `file` labels errors and anchors relative paths. */
export function parseAgentConfig(raw: unknown, file: string): AgentConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) throw new ConfigError(file, '', 'invalid configuration');
    throw new ConfigError(file, formatPath(issuePath(issue)), issue.message);
  }
  const config = parsed.data;
  const base = dirname(resolve(file));
  config.spoolDir = resolve(base, config.spoolDir);
  if (config.sensor?.file !== undefined) config.sensor.file = resolve(base, config.sensor.file);
  return config;
}

export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, '', `cannot read the config file: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, '', `invalid JSON: ${(err as Error).message}`);
  }
  return parseAgentConfig(raw, file);
}
