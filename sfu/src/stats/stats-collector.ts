// Every 2 s: how the SFU node sees each site's media (what it receives from the
// site: direction `send`; what it sends to the site: `recv`) and the node's own
// load per worker, sent through the NOC's ingest gateway like every sample.
import type { IngestClient } from '@noc/shared/ingest-client';
import type { NodeSample } from '@noc/shared/metrics';
import type { MeetingRegistry } from '../meetings/meeting-registry.ts';
import type { SfuNode } from '../sfu-node.ts';
import { summarise } from './media-summary.ts';
import { WorkerLoadMeter } from './worker-load.ts';

export const STATS_INTERVAL_MS = 2000;

export class StatsCollector {
  #node: SfuNode;
  #meetings: MeetingRegistry;
  #client: IngestClient;
  #timer: NodeJS.Timeout | null = null;
  #load: WorkerLoadMeter;
  #log: (msg: string) => void;
  #running = false;

  constructor(node: SfuNode, meetings: MeetingRegistry, client: IngestClient, log: (msg: string) => void) {
    this.#node = node;
    this.#meetings = meetings;
    this.#client = client;
    this.#log = log;
    this.#load = new WorkerLoadMeter(node, meetings);
  }

  start(intervalMs = STATS_INTERVAL_MS): void {
    this.#timer = setInterval(() => void this.tick(), intervalMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Collects and sends one round; overlapping rounds are skipped. */
  async tick(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      const samples = [...(await this.#mediaSamples()), ...(await this.#nodeSamples())];
      if (samples.length > 0) await this.#client.send(samples);
    } catch (err) {
      this.#log(`stats: ${(err as Error).message}`);
    } finally {
      this.#running = false;
    }
  }

  async #mediaSamples(): Promise<NodeSample[]> {
    const node = this.#node.config.node;
    const time = Date.now();
    const out: NodeSample[] = [];
    for (const meeting of this.#meetings.list()) {
      for (const peer of meeting.peers()) {
        if (peer.role !== 'site' || !peer.site) continue;
        const groups = new Map<string, Awaited<ReturnType<typeof this.stats>>>();
        for (const { producer } of peer.producers.values()) {
          const key = `${producer.kind}:send`;
          groups.set(key, [...(groups.get(key) ?? []), ...(await this.stats(producer))]);
        }
        for (const consumer of peer.consumers.values()) {
          const key = `${consumer.kind}:recv`;
          groups.set(key, [...(groups.get(key) ?? []), ...(await this.stats(consumer))]);
        }
        for (const [key, streams] of groups) {
          const fields = summarise(streams);
          if (!fields) continue;
          const [kind, direction] = key.split(':') as ['audio' | 'video', 'send' | 'recv'];
          out.push({ measurement: 'media', tags: { site: peer.site, kind, direction, node }, fields, time });
        }
      }
    }
    return out;
  }

  /** A producer's or consumer's stats; an object closed meanwhile has none. */
  async stats(source: { getStats(): Promise<unknown[]>; closed: boolean }) {
    if (source.closed) return [];
    try {
      return (await source.getStats()) as Parameters<typeof summarise>[0];
    } catch {
      return [];
    }
  }

  async #nodeSamples(): Promise<NodeSample[]> {
    const node = this.#node.config.node;
    const time = Date.now();
    return (await this.#load.read()).map((w) => {
      const fields: NodeSample['fields'] = {
        rss_mb: w.rssMb,
        rooms: w.rooms,
        transports: w.transports,
        producers: w.producers,
        consumers: w.consumers,
      };
      if (w.cpuKnown) fields.cpu_pct = w.cpuPct;
      return { measurement: 'sfu', tags: { node, worker: String(w.pid) }, fields, time };
    });
  }
}
