// The probe agent of one site: runs the sources the config enables, writes
// every sample they give to the disk spool, and lets the sender forward the
// spool to the NOC's ingest gateway. A change of the mains (on to battery, or
// back) is sent at once rather than at the next send.
//
// When the spool cannot take samples (its disk is full), they are held in
// memory, stamped with the time they were taken, up to HELD_MAX (the oldest
// beyond it are dropped and counted), and written ahead of the next samples as
// soon as the spool takes writes again. The refusal and the recovery are
// logged once each; what is spooled already stays and is sent as usual.
import { readFile } from 'node:fs/promises';
import { DiskFullError } from '@noc/shared/durable-queue';
import type { ProbeSample } from '@noc/shared/metrics';
import { createSources } from '../sources/registry.ts';
import type { AgentStatus, Source, SourceContext } from '../sources/source.ts';
import { SpoolSender } from '../spool/sender.ts';
import { Spool } from '../spool/spool.ts';
import type { AgentConfig } from './config.ts';
import { createLogger, errorMessage, type LogSink, type Logger } from './log.ts';

/** Calls a source's collect() every intervalMs, one call at a time, until stopped. */
class SourceRunner {
  readonly source: Source;
  #onSamples: (samples: ProbeSample[]) => void;
  #log: Logger;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(source: Source, onSamples: (samples: ProbeSample[]) => void, log: Logger) {
    this.source = source;
    this.#onSamples = onSamples;
    this.#log = log;
  }

  start(): void {
    this.#schedule(0);
  }

  /** Collects now instead of at the next call (or waits for the one in progress); the cadence starts again from here. */
  runNow(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) return this.#running;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    return this.#run();
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#run();
    }, delayMs);
  }

  #run(): Promise<void> {
    const started = Date.now();
    this.#running = this.#tick().finally(() => {
      this.#running = null;
      // Keep the cadence: the time collect() took comes off the wait.
      this.#schedule(Math.max(0, this.source.intervalMs - (Date.now() - started)));
    });
    return this.#running;
  }

  async #tick(): Promise<void> {
    try {
      const samples = await this.source.collect();
      this.#log.clear('collect');
      if (samples.length > 0 && !this.#stopped) this.#onSamples(samples);
    } catch (err) {
      this.#log.changed('collect', 'error', `collecting failed: ${errorMessage(err)}`);
    }
  }

  /** Cancels the next call and waits for the one in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}

/** Samples held in memory at most while the spool cannot take them (about an hour of a site's sources). */
export const HELD_MAX = 20_000;

export interface AgentOptions {
  /** Where log lines go; console by default. */
  sink?: LogSink;
  /**
   * Builds the sources instead of the registry (the simulator's simulated
   * sources); `ctx(name)` is the context of the source called `name`.
   */
  sources?: (ctx: (name: string) => SourceContext) => Promise<Source[]>;
}

export class Agent {
  readonly config: AgentConfig;
  readonly log: Logger;
  #spool: Spool;
  #sender: SpoolSender;
  #runners: SourceRunner[] = [];
  /** Samples the spool could not take and memory could not hold either: lost, and counted. */
  #unspooled = 0;
  /** Samples the spool refused (a full disk), oldest first, each with its time: written ahead of the next ones. */
  #held: ProbeSample[] = [];
  /** When the spool started refusing samples (null: it takes them). */
  #refusedSince: number | null = null;
  #onDemand: { promise: Promise<void>; abort: AbortController } | null = null;
  /** Whether the UPS last said it runs on mains (null: not read yet). */
  #onMains: boolean | null = null;
  #closing: Promise<void> | null = null;

  private constructor(config: AgentConfig, log: Logger, spool: Spool) {
    this.config = config;
    this.log = log;
    this.#spool = spool;
    this.#sender = new SpoolSender({
      spool,
      nocUrl: config.nocUrl,
      token: config.token,
      log: log.child('send'),
      ...config.send,
    });
  }

  static async create(config: AgentConfig, opts: AgentOptions = {}): Promise<Agent> {
    const log = createLogger(`[site:${config.site}]`, opts.sink);
    const version = await agentVersion();
    const { maxSamples, maxBytes, fsyncIntervalMs } = config.spool;
    const spool = Spool.open({ dir: config.spoolDir, maxSamples, maxBytes, fsyncIntervalMs, log: log.child('spool') });
    const agent = new Agent(config, log, spool);
    let sources: Source[];
    try {
      const contextFor = (name: string): SourceContext => ({
        config,
        log: log.child(name),
        status: () => agent.status,
        version,
        stateDir: config.spoolDir,
      });
      sources = opts.sources ? await opts.sources(contextFor) : await createSources(config, (plugin) => contextFor(plugin.name));
    } catch (err) {
      spool.close();
      throw err;
    }
    agent.#runners = sources.map((s) => new SourceRunner(s, (samples) => agent.#store(samples), log.child(s.name)));
    for (const runner of agent.#runners) runner.start();
    agent.#sender.start();
    const targets = Object.entries(config.targets)
      .map(([name, t]) => `${name} ${t.echo.host}:${t.echo.port}`)
      .join(', ');
    log.info(
      `probe agent ${version} started: sources ${sources.map((s) => s.name).join(', ')}; link targets ${targets}; sending to ${config.nocUrl}; spool ${config.spoolDir} (${spool.depth} waiting)`,
    );
    if (config.link.bandwidthAtStart) agent.measureOnDemand();
    return agent;
  }

  get status(): AgentStatus {
    return {
      spoolDepth: this.#spool.depth + this.#held.length,
      dropped: this.#spool.dropped + this.#sender.rejected + this.#unspooled,
    };
  }

  /**
   * Every source collects now and what they give is sent at once, instead of at
   * their next call and the next send (the simulator, when a fault is injected).
   */
  async reportNow(): Promise<void> {
    if (this.#closing) return;
    await Promise.all(this.#runners.map((r) => r.runNow()));
    this.#sender.sendSoon();
  }

  /** Runs the on-demand measurements (bandwidth) of every source that has one; one run at a time. */
  measureOnDemand(): Promise<void> {
    if (this.#closing) return Promise.resolve();
    if (this.#onDemand) {
      this.log.info('an on-demand measurement is already running');
      return this.#onDemand.promise;
    }
    const abort = new AbortController();
    const run = async (): Promise<void> => {
      for (const runner of this.#runners) {
        const source = runner.source;
        if (!source.measureOnDemand || abort.signal.aborted) continue;
        try {
          const samples = await source.measureOnDemand(abort.signal);
          if (!abort.signal.aborted) this.#store(samples);
        } catch (err) {
          this.log.child(source.name).error(`on-demand measurement failed: ${errorMessage(err)}`);
        }
      }
    };
    const promise = run().finally(() => {
      this.#onDemand = null;
    });
    this.#onDemand = { promise, abort };
    return promise;
  }

  #store(samples: ProbeSample[]): void {
    if (samples.length === 0) return;
    const now = Date.now();
    const stamped = samples.map((s) => (s.time === undefined ? { ...s, time: now } : s));
    const batch = this.#held.length > 0 ? [...this.#held, ...stamped] : stamped;
    try {
      this.#spool.append(batch);
    } catch (err) {
      this.#hold(batch, err, now);
      return;
    }
    if (this.#refusedSince !== null) {
      const s = Math.round((now - this.#refusedSince) / 1000);
      this.log.info(`the spool takes samples again after ${s} s; wrote the ${this.#held.length} samples held in memory meanwhile`);
      this.#refusedSince = null;
      this.log.clear('spool-write');
    }
    this.#held = [];
    if (this.#mainsChanged(samples)) this.#sender.sendSoon();
  }

  /** Keeps samples the spool refused in memory, within HELD_MAX; logs the refusal once, and the first overflow. */
  #hold(batch: ProbeSample[], err: unknown, now: number): void {
    const over = batch.length - HELD_MAX;
    if (over > 0) {
      if (this.#held.length < HELD_MAX)
        this.log.error(`${HELD_MAX} samples held in memory: dropping the oldest from now on, counted in dropped`);
      this.#unspooled += over;
    }
    this.#held = over > 0 ? batch.slice(over) : batch;
    this.#refusedSince ??= now;
    const why = err instanceof DiskFullError ? 'its disk is full' : errorMessage(err);
    this.log.changed(
      'spool-write',
      'error',
      `the spool refuses samples (${why}): holding them in memory, at most ${HELD_MAX}, until it takes writes again; what is spooled already stays and is sent`,
    );
  }

  #mainsChanged(samples: ProbeSample[]): boolean {
    let changed = false;
    for (const s of samples) {
      const onMains = s.measurement === 'power' ? s.fields.on_mains : undefined;
      if (typeof onMains !== 'boolean') continue;
      if (this.#onMains !== null && onMains !== this.#onMains) changed = true;
      this.#onMains = onMains;
    }
    return changed;
  }

  /** Stops the sources, sends what it can within send.flushOnStopMs, and closes the spool. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.log.info('stopping');
      this.#onDemand?.abort.abort();
      await this.#onDemand?.promise;
      await Promise.all(this.#runners.map((r) => r.stop()));
      const closed = await Promise.allSettled(this.#runners.map((r) => r.source.close()));
      for (const [i, result] of closed.entries()) {
        if (result.status === 'rejected') this.log.warn(`closing ${this.#runners[i]?.source.name}: ${errorMessage(result.reason)}`);
      }
      await this.#sender.stop(this.config.send.flushOnStopMs);
      if (this.#held.length > 0) {
        try {
          this.#spool.append(this.#held);
          this.#held = [];
        } catch (err) {
          this.log.error(`${this.#held.length} samples held in memory are lost: the spool still refuses them (${errorMessage(err)})`);
        }
      }
      this.#spool.close();
      this.log.info('stopped');
    })();
    return this.#closing;
  }
}

/** The agent's version, from probes/package.json. */
async function agentVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version.slice(0, 32) : 'unknown';
}
