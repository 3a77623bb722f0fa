// The `heartbeat` source (measurement `probe`): proof of life once a second,
// with the agent's own state: seq, uptime_s, spool_depth, dropped, version.
//
// `seq` counts heartbeats over the agent's whole life at this site, not per
// process: the last number is kept in the state folder and a restarted agent
// goes on from it. A gap in `seq` in the store therefore means a heartbeat was
// lost, whether or not the agent restarted in between (`uptime_s` going back
// to 0 shows the restarts). The number is saved before the heartbeat is
// handed out, so a crash can skip a number but never reuse one.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProbeSample } from '@noc/shared/metrics';
import { errorMessage, type Logger } from '../agent/log.ts';
import type { AgentStatus, Source, SourceContext, SourcePlugin } from './source.ts';

const SEQ_FILE = 'heartbeat-seq';

export class HeartbeatSource implements Source {
  readonly name = 'heartbeat';
  readonly intervalMs: number;
  #seq: number;
  #file: string;
  #status: () => AgentStatus;
  #version: string;
  #log: Logger;
  #startedAt = performance.now();

  private constructor(ctx: SourceContext, seq: number) {
    this.intervalMs = ctx.config.heartbeat.intervalMs;
    this.#seq = seq;
    this.#file = join(ctx.stateDir, SEQ_FILE);
    this.#status = ctx.status;
    this.#version = ctx.version;
    this.#log = ctx.log;
  }

  static async create(ctx: SourceContext): Promise<HeartbeatSource> {
    const file = join(ctx.stateDir, SEQ_FILE);
    let seq = 0;
    try {
      const text = (await readFile(file, 'utf8')).trim();
      seq = Number(text);
      if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`${file} holds ${JSON.stringify(text.slice(0, 40))}, not a count`);
      if (seq > 0) ctx.log.info(`heartbeats go on from seq ${seq + 1}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        ctx.log.warn(`starting heartbeats from seq 1: ${errorMessage(err)}`);
        seq = 0;
      }
    }
    return new HeartbeatSource(ctx, seq);
  }

  async collect(): Promise<ProbeSample[]> {
    const seq = this.#seq + 1;
    try {
      const tmp = `${this.#file}.tmp`;
      await writeFile(tmp, `${seq}\n`);
      await rename(tmp, this.#file);
      this.#log.clear('save');
    } catch (err) {
      // The heartbeat still goes out; only numbering across a restart is at risk.
      this.#log.changed('save', 'warn', `cannot save the heartbeat seq in ${this.#file}: ${errorMessage(err)}`);
    }
    this.#seq = seq;
    const { spoolDepth, dropped } = this.#status();
    return [
      {
        measurement: 'probe',
        tags: {},
        fields: {
          seq,
          uptime_s: Math.round((performance.now() - this.#startedAt) / 100) / 10,
          spool_depth: spoolDepth,
          dropped,
          version: this.#version,
        },
      },
    ];
  }

  async close(): Promise<void> {
    // The seq file is written at every heartbeat; nothing is open.
  }
}

export const heartbeatPlugin: SourcePlugin = {
  name: 'heartbeat',
  enabled: () => true,
  create: (ctx) => HeartbeatSource.create(ctx),
};
