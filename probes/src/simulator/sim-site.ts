// One simulated site: a real probe agent (disk spool, sender, the real
// heartbeat and room-sensor file sources) whose link and UPS are simulated
// from the site's SiteModel, reaching the NOC through the site's LinkGate,
// and the site's room page sending its media figures over the same gate.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeSample } from '@noc/shared/metrics';
import { issueProbeToken } from '@noc/shared/probe-token';
import type { Site } from '@noc/shared/sites';
import { Agent } from '../agent/agent.ts';
import { parseAgentConfig, type AgentConfig } from '../agent/config.ts';
import { errorMessage } from '../agent/log.ts';
import { EnvSource } from '../sources/env.ts';
import { HeartbeatSource } from '../sources/heartbeat.ts';
import type { Source } from '../sources/source.ts';
import { LinkGate } from './link-gate.ts';
import { RoomMedia } from './room-media.ts';
import { SiteModel } from './site-model.ts';
import type { SiteConditions } from './timeline.ts';

/** A source that reports what the site model says, every `intervalMs`. */
class SimulatedSource implements Source {
  readonly name: string;
  readonly intervalMs: number;
  #sample: () => ProbeSample;

  constructor(name: string, intervalMs: number, sample: () => ProbeSample) {
    this.name = name;
    this.intervalMs = intervalMs;
    this.#sample = sample;
  }

  async collect(): Promise<ProbeSample[]> {
    return [this.#sample()];
  }

  async close(): Promise<void> {
    // nothing open
  }
}

export interface SimSiteOptions {
  site: Site;
  nocUrl: string;
  secret: Buffer;
  /** The site's own spool folder (also holds its heartbeat seq and sensor file). */
  dir: string;
  intervalMs: number;
  /** What the scenario says is happening at the site now, and ms since the run started. */
  now: (site: string) => { conditions: SiteConditions; t: number };
}

export class SimSite {
  readonly model: SiteModel;
  readonly sensorFile: string;
  #o: SimSiteOptions;
  #gate: LinkGate;
  #config: AgentConfig;
  #agent: Agent | null = null;
  #media: RoomMedia | null = null;
  #sensorWrites = 0;
  /** Restarts and the close, one after the other. */
  #busy: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(o: SimSiteOptions, gate: LinkGate) {
    this.#o = o;
    this.#gate = gate;
    this.model = new SiteModel(o.site);
    this.sensorFile = join(o.dir, 'sensor.json');
    const agentMs = Math.max(200, o.intervalMs);
    this.#config = parseAgentConfig(
      {
        site: o.site.id,
        token: issueProbeToken(o.secret, o.site.id),
        nocUrl: gate.url,
        // Unused: the link source is simulated.
        targets: { sfu: 'simulated:1' },
        heartbeat: { intervalMs: agentMs },
        spoolDir: o.dir,
        send: { intervalMs: o.intervalMs, retryMaxMs: Math.min(5000, Math.max(1000, o.intervalMs * 5)), flushOnStopMs: 2000 },
      },
      join(o.dir, 'simulated-agent.json'),
    );
  }

  static async start(o: SimSiteOptions): Promise<SimSite> {
    const gate = await LinkGate.start(o.nocUrl, () => o.now(o.site.id).conditions.linkCut);
    const site = new SimSite(o, gate);
    try {
      await site.writeSensor(o.now(o.site.id).conditions);
      site.#agent = await site.#createAgent();
      site.#media = new RoomMedia({
        site: o.site,
        model: site.model,
        gateUrl: gate.url,
        secret: o.secret,
        intervalMs: o.intervalMs,
        now: () => o.now(o.site.id),
      });
    } catch (err) {
      await site.#agent?.close();
      await gate.close();
      throw err;
    }
    return site;
  }

  #createAgent(): Promise<Agent> {
    const { intervalMs, site } = this.#o;
    return Agent.create(this.#config, {
      sources: async (ctx) => [
        await HeartbeatSource.create(ctx('heartbeat')),
        new SimulatedSource('link', intervalMs, () => this.model.link(this.#o.now(site.id).conditions)),
        new SimulatedSource('power', intervalMs, () => {
          const { conditions, t } = this.#o.now(site.id);
          return this.model.power(conditions, t);
        }),
        new EnvSource({ file: this.sensorFile, intervalMs, maxAgeS: 300, timeoutMs: 5000 }, ctx('env').log),
      ],
    });
  }

  /** Writes the room sensor's file (whole, by rename) with what the model reads now. */
  async writeSensor(conditions: SiteConditions): Promise<void> {
    // A file of its own per write: two writes at once (the clock's and an injected fault's) never mix.
    const tmp = `${this.sensorFile}.${++this.#sensorWrites}.tmp`;
    await writeFile(tmp, `${JSON.stringify(this.model.env(conditions))}\n`);
    await rename(tmp, this.sensorFile);
  }

  /** What the site measures now is reported now, not at its next tick and send (a fault was injected or ended). */
  async reportNow(conditions: SiteConditions): Promise<void> {
    await this.writeSensor(conditions);
    await this.#agent?.reportNow();
  }

  /** The probe restarts: its agent stops and a new one starts on the same spool (seq goes on, uptime starts again). */
  restart(): Promise<void> {
    this.#busy = this.#busy.then(async () => {
      if (this.#closed) return;
      try {
        await this.#agent?.close();
        this.#agent = null;
        this.#agent = await this.#createAgent();
      } catch (err) {
        console.error(`[site:${this.#o.site.id}] restarting the probe agent failed: ${errorMessage(err)}`);
      }
    });
    return this.#busy;
  }

  /** Stops the room page and the agent (it flushes what it can through the gate), then the gate. */
  close(): Promise<void> {
    this.#busy = this.#busy.then(async () => {
      if (this.#closed) return;
      this.#closed = true;
      try {
        await this.#media?.close();
        await this.#agent?.close();
      } finally {
        await this.#gate.close();
      }
    });
    return this.#busy;
  }
}
