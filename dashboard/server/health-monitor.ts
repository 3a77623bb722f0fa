// Checks each component the NOC depends on and keeps the latest report.
import type { ComponentHealth, HealthReport, SfuHealth, SimulatorHealth, StoreHealth } from '@noc/shared/health';
import { readSfuStatus, sfuStatusApi } from '@noc/shared/sfu-status-api';
import type { SampleStore } from './store/store.ts';
import type { Heartbeats } from './heartbeats.ts';

export interface HealthMonitorOptions {
  store: SampleStore;
  sfuUrl: string;
  sfuBackupUrl: string | null;
  /** The NOC's token for the SFU nodes' status endpoints. */
  sfuToken: string;
  heartbeats: Heartbeats;
  siteIds: string[];
  /** Whether a simulator is expected to be sending (set by `npm start`). */
  simulatorExpected: boolean;
  intervalMs?: number;
  onReport?: (report: HealthReport) => void;
}

export class HealthMonitor {
  #opts: HealthMonitorOptions;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #report: HealthReport;

  constructor(opts: HealthMonitorOptions) {
    this.#opts = opts;
    const now = Date.now();
    const pending = { state: 'down' as const, detail: 'not checked yet', checkedAt: now };
    const buffered = opts.store.bufferedTotal ?? 0;
    this.#report = {
      status: 'down',
      time: now,
      components: {
        store: { ...pending, kind: opts.store.kind, buffered },
        sfu: pending,
        sfuBackup: pending,
        simulator: { ...pending, sitesReporting: 0, sitesTotal: opts.siteIds.length },
      },
    };
  }

  get report(): HealthReport {
    const { components } = this.#report;
    const store = { ...components.store, buffered: this.#opts.store.bufferedTotal ?? 0 };
    return { ...this.#report, components: { ...components, store, simulator: this.#simulator(Date.now()) } };
  }

  async start(): Promise<void> {
    await this.check();
    this.#timer = setInterval(() => void this.check(), this.#opts.intervalMs ?? 3000);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#stopped = true;
  }

  async check(): Promise<HealthReport> {
    const now = Date.now();
    const [store, sfu, sfuBackup] = await Promise.all([
      this.#store(now),
      this.#sfu(this.#opts.sfuUrl, now),
      this.#opts.sfuBackupUrl
        ? this.#sfu(this.#opts.sfuBackupUrl, now)
        : Promise.resolve<SfuHealth>({ state: 'disabled', detail: 'no backup SFU node configured (SFU_BACKUP_URL)', checkedAt: now }),
    ]);
    const simulator = this.#simulator(now);
    const parts: ComponentHealth[] = [store, sfu, sfuBackup, simulator];
    const status = store.state === 'down' ? 'down' : parts.every((p) => p.state === 'up' || p.state === 'disabled') ? 'ok' : 'degraded';
    this.#report = { status, time: now, components: { store, sfu, sfuBackup, simulator } };
    // A check that was under way when the server stopped reports to nobody: what it would record is closed.
    if (!this.#stopped) this.#opts.onReport?.(this.#report);
    return this.#report;
  }

  async #store(now: number): Promise<StoreHealth> {
    const { store } = this.#opts;
    try {
      await store.ping();
      return { kind: store.kind, state: 'up', detail: store.location, checkedAt: now, buffered: store.bufferedTotal ?? 0 };
    } catch (err) {
      return { kind: store.kind, state: 'down', detail: (err as Error).message, checkedAt: now, buffered: store.bufferedTotal ?? 0 };
    }
  }

  async #sfu(base: string, now: number): Promise<SfuHealth> {
    const url = `${base}${sfuStatusApi.health.path}`;
    try {
      const status = await readSfuStatus(base, 'health', 2000, this.#opts.sfuToken);
      const alive = status.workers.filter((w) => !w.died);
      const routers = alive.reduce((n, w) => n + w.routers, 0);
      const state = alive.length === 0 ? 'down' : alive.length < status.workers.length ? 'degraded' : 'up';
      return {
        state,
        detail: `node ${status.node}: ${alive.length}/${status.workers.length} mediasoup workers, ${routers} routers (mediasoup ${status.mediasoupVersion})`,
        checkedAt: now,
        node: status.node,
        workers: alive.length,
        routers,
      };
    } catch (err) {
      return { state: 'down', detail: `SFU at ${url}: ${(err as Error).message}`, checkedAt: now };
    }
  }

  #simulator(now: number): SimulatorHealth {
    const total = this.#opts.siteIds.length;
    const reporting = this.#opts.heartbeats.reporting(now).length;
    const base = { sitesReporting: reporting, sitesTotal: total, checkedAt: now };
    const detail = `${reporting} of ${total} sites reporting`;
    if (!this.#opts.simulatorExpected) return { ...base, state: 'disabled', detail: `no simulator; ${detail}` };
    const state = reporting === total ? 'up' : reporting === 0 ? 'down' : 'degraded';
    return { ...base, state, detail };
  }
}
