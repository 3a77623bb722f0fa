// The `env` source: the room's temperature and humidity, read from a file the
// sensor's own program keeps up to date, or from the output of a command.
//
// Both give the same text, in either of two forms:
//   JSON:       {"temp_c": 27.5, "humidity_pct": 64}
//   key=value:  temp_c=27.5
//               humidity_pct=64        (one per line; blank lines and # comments allowed)
// Other keys are ignored; at least one of the two must be there, as a number in
// the schema's range (-50..100 °C, 0..100 %). A missing, stale (file not
// changed for `maxAgeS`), garbled or out-of-range reading is logged and
// skipped: no sample rather than a wrong one.
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { fieldSchemas, formatPath, type ProbeSample } from '@noc/shared/metrics';
import type { SensorConfig } from '../agent/config.ts';
import { errorMessage, type Logger } from '../agent/log.ts';
import type { Source, SourceContext, SourcePlugin } from './source.ts';

const MAX_OUTPUT_BYTES = 4096;
const KEYS = ['temp_c', 'humidity_pct'] as const;

class ReadingError extends Error {}

/** Parses a reading (JSON or key=value lines) into env fields; throws ReadingError saying what is wrong. */
export function parseEnvReading(text: string): Extract<ProbeSample, { measurement: 'env' }>['fields'] {
  const body = text.trim();
  if (body === '') throw new ReadingError('the reading is empty');
  let raw: Record<string, unknown>;
  if (body.startsWith('{')) {
    try {
      raw = JSON.parse(body) as Record<string, unknown>;
    } catch (err) {
      throw new ReadingError(`invalid JSON: ${errorMessage(err)}`);
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ReadingError('the JSON is not an object');
  } else {
    raw = {};
    for (const [i, line] of body.split(/\r?\n/).entries()) {
      const l = line.trim();
      if (l === '' || l.startsWith('#')) continue;
      const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(\S.*)$/.exec(l);
      if (!m) throw new ReadingError(`line ${i + 1} is not key=value: ${JSON.stringify(l.slice(0, 80))}`);
      const value = (m[2] as string).trim();
      raw[m[1] as string] = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : value;
    }
  }
  const picked = Object.fromEntries(KEYS.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
  if (Object.keys(picked).length === 0) throw new ReadingError(`the reading has neither ${KEYS.join(' nor ')}`);
  const parsed = fieldSchemas.env.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReadingError(issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid reading');
  }
  return parsed.data;
}

export class EnvSource implements Source {
  readonly name = 'env';
  readonly intervalMs: number;
  #sensor: SensorConfig;
  #log: Logger;

  constructor(sensor: SensorConfig, log: Logger) {
    this.#sensor = sensor;
    this.#log = log;
    this.intervalMs = sensor.intervalMs;
  }

  get #label(): string {
    return this.#sensor.file ?? (this.#sensor.command ?? []).join(' ');
  }

  async collect(): Promise<ProbeSample[]> {
    try {
      const fields = parseEnvReading(await this.#read());
      this.#log.changed('reading', 'info', `reading ${this.#label}`);
      return [{ measurement: 'env', tags: {}, fields }];
    } catch (err) {
      this.#log.changed('reading', 'warn', `skipped the reading of ${this.#label}: ${errorMessage(err)}`);
      return [];
    }
  }

  async #read(): Promise<string> {
    const s = this.#sensor;
    if (s.file !== undefined) {
      const info = await stat(s.file);
      const ageS = (Date.now() - info.mtimeMs) / 1000;
      // No age in the text: it is logged only when it changes.
      if (ageS > s.maxAgeS) throw new ReadingError(`stale: the file has not been written for more than ${s.maxAgeS} s`);
      if (info.size > MAX_OUTPUT_BYTES) throw new ReadingError(`the file is larger than ${MAX_OUTPUT_BYTES} bytes`);
      return readFile(s.file, 'utf8');
    }
    const [command, ...args] = s.command as [string, ...string[]]; // the config has one or the other
    return new Promise((resolve, reject) => {
      execFile(command, args, { timeout: s.timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (err)
          reject(new ReadingError(`the command failed: ${err.message.split('\n')[0]}${stderr ? ` (${stderr.trim().slice(0, 200)})` : ''}`));
        else resolve(stdout);
      });
    });
  }

  async close(): Promise<void> {
    // Nothing stays open between readings.
  }
}

export const envPlugin: SourcePlugin = {
  name: 'env',
  enabled: (config) => config.sensor !== undefined,
  create: async (ctx: SourceContext) => new EnvSource(ctx.config.sensor as SensorConfig, ctx.log),
};
