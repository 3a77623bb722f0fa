// What the host of a capacity-test run (the NOC server, or a test) gives the
// runner and what it gets back. The runner (load-test-run.ts) starts the media
// swarm, Artillery and the Chromium endpoints, reports figures while it runs,
// and always ends by cleaning up everything it started.
import type { LoadTestFigures, LoadTestSettings, LoadTestSummary, LoadTestVerdict, CurvePoint } from '@noc/shared/load-test';
import type { Site } from '@noc/shared/sites';

export interface LoadTestEnvironment {
  /** The main SFU node's signalling, e.g. `ws://127.0.0.1:4450/signalling`. */
  signallingUrl: string;
  /**
   * Status endpoints of the SFU nodes (`sfuStatusApi`), polled for each worker's CPU and consumers with
   * the NOC's token (made from `secret`).
   */
  sfuStatusUrls: { main: string; backup: string | null };
  /** The NOC server: the ingest gateway, the live feed and the room page. */
  nocUrl: string;
  /** The server secret: the runner issues the run's access and probe tokens with it. */
  secret: Buffer;
  /** The site registry (the run's `settings.sites` are checked against it before the run starts). */
  sites: Site[];
  /**
   * A display token the host made for the run's wall clients (`settings.walls`), which sign in with it
   * (`POST /api/auth/display`) and hold the live feed as wall screens do; the host revokes it when the
   * run ends, failed or not. Without it the run plays no walls.
   */
  wallToken?: string;
  /** A folder of the run's own: Artillery scripts and reports, logs. */
  workDir: string;
}

export interface LoadTestHooks {
  /** Every couple of seconds while the run lasts. */
  onFigures(figures: LoadTestFigures): void;
  /** One line per step of the run (started the swarm, seats joined, stopping…). */
  onLog?(line: string): void;
}

export interface LoadTestOutcome {
  summary: LoadTestSummary;
  curve: CurvePoint[];
  verdict: LoadTestVerdict;
  /** The report (JSON) written in `workDir`. */
  reportFile: string;
  /** Why the run ended before its duration (stopped by hand, a component failed), or null. */
  stoppedEarly: string | null;
}

export interface LoadTestHandle {
  /** Ends the run now; resolves once every process, transport and browser it made is gone. */
  stop(reason: string): Promise<void>;
  /** Settles when the run has ended and cleaned up; rejects only when it could not start at all. */
  readonly done: Promise<LoadTestOutcome>;
}

export type StartLoadTestRun = (id: number, settings: LoadTestSettings, env: LoadTestEnvironment, hooks: LoadTestHooks) => LoadTestHandle;
