// Capacity tests hosted by the NOC server: one run at a time, started and
// stopped through the API. The runner (@noc/loadtest's StartLoadTestRun) does
// the work; this keeps the run's record and its figures (load-test-store.ts),
// and every figure as a point of the
// `loadtest` measurement in the sample store. A run with walls gets a display
// token of its own for them, revoked when the run ends.
import { mkdir } from 'node:fs/promises';
import type { LoadTestEnvironment, LoadTestHandle, StartLoadTestRun } from '@noc/loadtest/runner/run-contract';
import type { LoadTestFigures, LoadTestRun, LoadTestSettings } from '@noc/shared/load-test';
import type { MeetingRecord } from '@noc/shared/meeting';
import type { Point } from '@noc/shared/metrics';
import { HttpError } from '../errors.ts';
import { loadTestPoint } from './load-test-points.ts';
import type { LoadTestStore } from './load-test-store.ts';

/** How long a stop asked through the API waits for the run to end before answering with it still stopping. */
const STOP_WAIT_MS = 60_000;

export interface LoadTestsOptions {
  store: LoadTestStore;
  siteIds: ReadonlySet<string>;
  /** The runner; null: this server cannot run capacity tests (a start is refused with 503). */
  startRun: StartLoadTestRun | null;
  /** What a run is given, for the run with this id (its work folder among it). */
  environment: (id: number) => LoadTestEnvironment;
  /** The meetings the SFU nodes carry now. */
  meetings: () => readonly MeetingRecord[];
  writePoints: (points: Point[]) => Promise<void>;
  /** Display tokens for a run's wall clients; absent: runs play no walls. */
  wallTokens?: RunWallTokens;
  log?: (message: string) => void;
}

/** Makes the display token a run's walls sign in with, and revokes it (signing its screens out). */
export interface RunWallTokens {
  create(label: string): { id: string; token: string };
  revoke(id: string): void;
}

/** The label of a run's display token, as the admin's list of display tokens shows it. */
export const wallTokenLabel = (runId: number): string => `Kiểm tra tải #${runId}`;

interface Active {
  run: LoadTestRun;
  handle: LoadTestHandle | null;
  /** Set when someone asked it to stop. */
  stopReason: string | null;
  ended: Promise<LoadTestRun>;
}

/** A meeting the capacity test itself made. */
export const isLoadTestMeeting = (m: MeetingRecord): boolean => m.loadTest;

export class LoadTests {
  #opts: LoadTestsOptions;
  #active: Active | null = null;
  #log: (message: string) => void;

  constructor(opts: LoadTestsOptions) {
    this.#opts = opts;
    this.#log = opts.log ?? ((m) => console.warn(`[load-tests] ${m}`));
  }

  list(): LoadTestRun[] {
    return this.#opts.store.list();
  }

  /** The run with the figures it reported so far. */
  get(id: number): { run: LoadTestRun; figures: LoadTestFigures[] } {
    const run = this.#opts.store.get(id);
    if (!run) throw new HttpError(404, `no load test #${id}`);
    return { run, figures: this.#opts.store.figures(id) };
  }

  /** Checks what the schema cannot (the sites, what else is going on), records the run and starts it. */
  async start(settings: LoadTestSettings, by: string): Promise<LoadTestRun> {
    const unknown = settings.sites.filter((s) => !this.#opts.siteIds.has(s));
    if (unknown.length > 0) {
      throw new HttpError(
        400,
        `invalid load test: sites: unknown site${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}`,
        'sites',
      );
    }
    if (this.#active) throw new HttpError(409, `load test #${this.#active.run.id} is still running; stop it or wait for it to end`);
    const live = this.#opts.meetings().filter((m) => !isLoadTestMeeting(m));
    if (live.length > 0 && !settings.force) {
      throw new HttpError(
        409,
        `a real meeting is live ("${live[0]!.title}"): a load test would disturb it; start with force to run it anyway`,
      );
    }
    const startRun = this.#opts.startRun;
    if (!startRun) throw new HttpError(503, 'this NOC server has no load-test runner');
    const run = this.#opts.store.create(settings, by);
    const env = this.#opts.environment(run.id);
    const active: Active = { run, handle: null, stopReason: null, ended: Promise.resolve(run) };
    this.#active = active;
    let wallTokenId: string | null = null;
    try {
      const walls = this.#opts.wallTokens;
      if (walls && settings.scenario === 'capacity' && settings.walls > 0) {
        const made = walls.create(wallTokenLabel(run.id));
        wallTokenId = made.id;
        env.wallToken = made.token;
      }
      await mkdir(env.workDir, { recursive: true });
      active.handle = startRun(run.id, settings, env, {
        onFigures: (f) => this.#figures(active, f),
        onLog: (line) => this.#log(`[run:${run.id}] ${line}`),
      });
    } catch (err) {
      this.#revokeWallToken(run.id, wallTokenId);
      this.#active = null;
      this.#opts.store.end(run.id, { status: 'failed', endedAt: Date.now(), reason: `could not start: ${(err as Error).message}` });
      throw new HttpError(503, `load test #${run.id} could not start: ${(err as Error).message}`);
    }
    active.ended = this.#follow(active, active.handle, wallTokenId);
    return run;
  }

  #revokeWallToken(runId: number, id: string | null): void {
    if (id === null) return;
    try {
      this.#opts.wallTokens?.revoke(id);
    } catch (err) {
      this.#log(`[run:${runId}] could not revoke the walls' display token ${id}: ${(err as Error).message}`);
    }
  }

  async #follow(active: Active, handle: LoadTestHandle, wallTokenId: string | null): Promise<LoadTestRun> {
    const { id } = active.run;
    let ended: LoadTestRun | null;
    try {
      const outcome = await handle.done;
      const stopped = active.stopReason !== null;
      ended = this.#opts.store.end(id, {
        status: stopped ? 'stopped' : outcome.stoppedEarly ? 'failed' : 'finished',
        endedAt: Date.now(),
        reason: active.stopReason ?? outcome.stoppedEarly,
        summary: outcome.summary,
        curve: outcome.curve,
        verdict: outcome.verdict,
      });
    } catch (err) {
      ended = this.#opts.store.end(id, { status: 'failed', endedAt: Date.now(), reason: (err as Error).message });
    }
    // The run's walls are gone with its processes; their token must not outlive it.
    this.#revokeWallToken(id, wallTokenId);
    if (this.#active === active) this.#active = null;
    this.#log(`[run:${id}] ended ${ended?.status ?? 'unknown'}${ended?.reason ? `: ${ended.reason}` : ''}`);
    return ended ?? active.run;
  }

  #figures(active: Active, f: LoadTestFigures): void {
    if (this.#active !== active) return;
    const { id, settings } = active.run;
    try {
      this.#opts.store.addFigures(id, f);
    } catch (err) {
      this.#log(`[run:${id}] could not keep figures: ${(err as Error).message}`);
    }
    this.#opts.writePoints([loadTestPoint(id, settings, f)]).catch((err: unknown) => {
      this.#log(`[run:${id}] could not write figures to the store: ${(err as Error).message}`);
    });
  }

  /** Stops a running run and answers it once it has ended (or, past a minute, while it is still stopping). */
  async stop(id: number, reason: string): Promise<LoadTestRun> {
    const run = this.#opts.store.get(id);
    if (!run) throw new HttpError(404, `no load test #${id}`);
    const active = this.#active;
    if (!active || active.run.id !== id || active.stopReason !== null || !active.handle) {
      throw new HttpError(409, `load test #${id} is not running (it is ${run.status})`);
    }
    active.stopReason = reason;
    this.#opts.store.setStopping(id, reason);
    active.handle.stop(reason).catch((err: unknown) => this.#log(`[run:${id}] stopping failed: ${(err as Error).message}`));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), STOP_WAIT_MS)));
    const ended = await Promise.race([active.ended, late]);
    clearTimeout(timer);
    return ended ?? this.#opts.store.get(id)!;
  }

  /** Ends a run still going (the server is stopping) and waits for it to clean up. */
  async close(): Promise<void> {
    const active = this.#active;
    if (!active?.handle) return;
    if (active.stopReason === null) {
      active.stopReason = 'the NOC server is stopping';
      this.#opts.store.setStopping(active.run.id, active.stopReason);
      await active.handle.stop(active.stopReason).catch(() => {});
    }
    await active.ended;
  }
}
