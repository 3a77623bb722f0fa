// The load of each live mediasoup worker: its CPU since the previous reading
// (getrusage of the worker process, user + system), its peak memory, and what
// it carries. A meeting spread over several workers counts on each of them:
// its transports and consumers on the worker of their router, its producers on
// the worker of its first router (every producer is there).
import type { WorkerLoad } from '@noc/shared/sfu-status-api';
import type { MeetingRegistry } from '../meetings/meeting-registry.ts';
import type { SfuNode } from '../sfu-node.ts';

export interface WorkerReading extends WorkerLoad {
  /** Whether `cpuPct` covers an interval (false on a worker's first reading, where it is 0). */
  cpuKnown: boolean;
  /** Peak resident memory of the worker process, as the kernel reports it. */
  rssMb: number;
}

const routerIdOf = (appData: unknown): string | undefined => (appData as { routerId?: string }).routerId;

export class WorkerLoadMeter {
  #node: SfuNode;
  #meetings: MeetingRegistry;
  #last = new Map<number, { cpuMs: number; at: number }>();

  constructor(node: SfuNode, meetings: MeetingRegistry) {
    this.#node = node;
    this.#meetings = meetings;
  }

  /** Reads every live worker; CPU is over the time since this meter's previous reading. */
  async read(): Promise<WorkerReading[]> {
    const meetings = this.#meetings.list();
    const out: WorkerReading[] = [];
    for (const { worker, routers } of this.#node.workers()) {
      if (worker.closed || worker.died) continue;
      let usage;
      try {
        usage = await worker.getResourceUsage();
      } catch {
        continue; // closed meanwhile
      }
      const at = performance.now();
      const cpuMs = usage.ru_utime + usage.ru_stime;
      const last = this.#last.get(worker.pid);
      this.#last.set(worker.pid, { cpuMs, at });
      const ids = new Set([...routers].map((r) => r.id));
      let rooms = 0;
      let transports = 0;
      let producers = 0;
      let consumers = 0;
      for (const meeting of meetings) {
        if (!meeting.media.routers().some((r) => ids.has(r.id))) continue;
        rooms++;
        const first = ids.has(meeting.router.id);
        for (const peer of meeting.peers()) {
          for (const t of peer.transports.values()) if (ids.has(t.appData.routerId)) transports++;
          if (first) producers += peer.producers.size;
          for (const c of peer.consumers.values()) if (ids.has(routerIdOf(c.appData) ?? meeting.router.id)) consumers++;
        }
      }
      const cpuKnown = last !== undefined && at > last.at;
      out.push({
        pid: worker.pid,
        cpuPct: cpuKnown ? Number((((cpuMs - last.cpuMs) / (at - last.at)) * 100).toFixed(1)) : 0,
        cpuKnown,
        rssMb: Number((usage.ru_maxrss / 1024).toFixed(1)),
        rooms,
        transports,
        producers,
        consumers,
      });
    }
    for (const pid of [...this.#last.keys()]) if (!out.some((w) => w.pid === pid)) this.#last.delete(pid);
    return out;
  }
}

/** Reads the workers every `intervalMs` (1 s), so that an answer is never older than that. */
export class WorkerLoadSampler {
  #meter: WorkerLoadMeter;
  #timer: NodeJS.Timeout;
  #latest: WorkerReading[] = [];
  #reading: Promise<void> | null = null;

  constructor(meter: WorkerLoadMeter, intervalMs = 1000) {
    this.#meter = meter;
    this.#timer = setInterval(() => void this.#read(), intervalMs);
    this.#timer.unref();
    void this.#read();
  }

  #read(): Promise<void> {
    this.#reading ??= this.#meter
      .read()
      .then((figures) => {
        this.#latest = figures;
      })
      .catch(() => {})
      .finally(() => {
        this.#reading = null;
      });
    return this.#reading;
  }

  /** The latest reading: CPU over the last interval, counts as they were then. */
  latest(): WorkerLoad[] {
    return this.#latest.map(({ pid, cpuPct, rooms, transports, producers, consumers }) => ({
      pid,
      cpuPct,
      rooms,
      transports,
      producers,
      consumers,
    }));
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
