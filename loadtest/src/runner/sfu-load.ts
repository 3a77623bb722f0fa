// The SFU nodes' load while a run lasts: each live worker's CPU (% of one
// core) and consumers, as the nodes' `GET /workers` reports them. A node that
// does not answer is left out of that reading. The nodes answer the NOC's
// token only; the runner makes it from the server secret it is given.
import type { WorkerFigure } from '@noc/shared/load-test';
import { issueNocToken } from '@noc/shared/probe-token';
import { readSfuStatus } from '@noc/shared/sfu-status-api';

export interface WorkerCounts {
  transports: number;
  consumers: number;
}

export class SfuLoad {
  #urls: { node: 'main' | 'backup'; url: string }[];
  #token: string;

  /** `secret`: the NOC server's, the status endpoints' token is made from it. */
  constructor(urls: { main: string; backup: string | null }, secret: Buffer) {
    this.#token = issueNocToken(secret);
    this.#urls = [{ node: 'main', url: urls.main }, ...(urls.backup ? [{ node: 'backup' as const, url: urls.backup }] : [])];
  }

  async read(): Promise<WorkerFigure[]> {
    const answers = await Promise.all(
      this.#urls.map(async ({ node, url }) => {
        try {
          const { workers } = await readSfuStatus(url, 'workers', 2000, this.#token);
          return workers.map((w) => ({ worker: `${node}/${w.pid}`, cpuPct: Math.round(w.cpuPct * 10) / 10, consumers: w.consumers }));
        } catch {
          return [];
        }
      }),
    );
    return answers.flat();
  }
}
