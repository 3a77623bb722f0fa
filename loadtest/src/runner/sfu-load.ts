// The SFU nodes' load while a run lasts: each worker's CPU (% of one core) and
// consumers. The node's status endpoint names its workers' pids; their CPU is
// read from /proc, since the runner shares the machine with the nodes it tests
// (on another machine the CPU is not known and the figure stays out).
import { readSfuStatus } from '@noc/shared/sfu-status-api';
import type { WorkerFigure } from '@noc/shared/load-test';
import { CpuMeter } from './proc-stat.ts';

export class SfuLoad {
  #urls: { node: 'main' | 'backup'; url: string }[];
  #meters = new Map<string, CpuMeter>();
  constructor(urls: { main: string; backup: string | null }) {
    this.#urls = [{ node: 'main', url: urls.main }, ...(urls.backup ? [{ node: 'backup' as const, url: urls.backup }] : [])];
  }

  /** One figure per live worker of every node that answers; a node that does not is left out. */
  async read(): Promise<WorkerFigure[]> {
    const figures: WorkerFigure[] = [];
    for (const { node, url } of this.#urls) {
      let status;
      try {
        status = await readSfuStatus(url, 'health', 2000);
      } catch {
        continue;
      }
      for (const w of status.workers.filter((w) => !w.died)) {
        const key = `${node}/${w.pid}`;
        let meter = this.#meters.get(key);
        if (!meter) this.#meters.set(key, (meter = new CpuMeter()));
        const cpu = meter.read([w.pid]);
        figures.push({ worker: key, cpuPct: cpu ?? 0, consumers: 0 });
      }
    }
    return figures;
  }
}
