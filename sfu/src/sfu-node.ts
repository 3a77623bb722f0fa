// An SFU node: its mediasoup workers and the routers on them.
import { accessSync, constants } from 'node:fs';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { SfuNodeStatus } from '@noc/shared/health';
import type { SfuConfig } from './config.ts';
import { MEDIA_CODECS } from './media-codecs.ts';

interface WorkerEntry {
  worker: types.Worker;
  routers: Set<types.Router>;
  died: boolean;
}

export class SfuNode {
  readonly config: SfuConfig;
  #workers: WorkerEntry[] = [];

  private constructor(config: SfuConfig) {
    this.config = config;
  }

  static async create(config: SfuConfig, log: (msg: string) => void = console.log): Promise<SfuNode> {
    try {
      accessSync(mediasoup.workerBin, constants.X_OK);
    } catch {
      throw new Error(
        `the mediasoup worker is missing (${mediasoup.workerBin}); run: bash scripts/setup.sh worker, ` +
          'then start with MEDIASOUP_WORKER_BIN set (scripts/env.sh sets it)',
      );
    }
    const node = new SfuNode(config);
    try {
      for (let i = 0; i < config.numWorkers; i++) {
        const worker = await mediasoup.createWorker({
          logLevel: config.logLevel,
          rtcMinPort: config.rtcMinPort,
          rtcMaxPort: config.rtcMaxPort,
        });
        const entry: WorkerEntry = { worker, routers: new Set(), died: false };
        worker.on('died', (err) => {
          entry.died = true;
          log(`[sfu:${config.node}] mediasoup worker ${worker.pid} died: ${err.message}`);
        });
        node.#workers.push(entry);
      }
    } catch (err) {
      node.close();
      throw err;
    }
    return node;
  }

  /**
   * A router on the least-loaded live worker that holds none of `exclude`
   * (a meeting spreads to other workers: piping a producer into a second router
   * of the same worker is not possible). Rejects when no such worker is left.
   */
  async createRouter(appData: Record<string, unknown> = {}, exclude: readonly types.Router[] = []): Promise<types.Router> {
    const alive = this.#workers.filter((w) => !w.died && !exclude.some((r) => w.routers.has(r)));
    if (alive.length === 0) throw new Error(exclude.length ? 'no other live mediasoup worker' : 'no mediasoup worker is alive');
    alive.sort((a, b) => a.routers.size - b.routers.size);
    const entry = alive[0]!;
    const router = await entry.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData });
    entry.routers.add(router);
    router.observer.once('close', () => entry.routers.delete(router));
    return router;
  }

  /** Live workers and the routers on each. */
  workers(): { worker: types.Worker; routers: ReadonlySet<types.Router> }[] {
    return this.#workers.filter((w) => !w.died).map((w) => ({ worker: w.worker, routers: w.routers }));
  }

  status(): SfuNodeStatus {
    return {
      node: this.config.node,
      mediasoupVersion: mediasoup.version,
      workers: this.#workers.map((w) => ({ pid: w.worker.pid, routers: w.routers.size, died: w.died })),
    };
  }

  close(): void {
    for (const w of this.#workers) w.worker.close();
    this.#workers = [];
  }
}
