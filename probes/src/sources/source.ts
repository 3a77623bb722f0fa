// The contract every measurement of the probe agent implements: one file per
// source, listed in `registry.ts`. The agent calls `collect()` every
// `intervalMs` (never two at once for one source), spools what it returns and
// calls `close()` once when it stops.
import type { ProbeSample } from '@noc/shared/metrics';
import type { AgentConfig } from '../agent/config.ts';
import type { Logger } from '../agent/log.ts';

export interface Source {
  readonly name: string;
  readonly intervalMs: number;
  /** This moment's samples; [] when there is nothing to report (the reason is logged). */
  collect(): Promise<ProbeSample[]>;
  /** A measurement too costly to run all the time (the link's bandwidth test), run on request; `signal` cancels it. */
  measureOnDemand?(signal: AbortSignal): Promise<ProbeSample[]>;
  /** Releases sockets, connections and timers. */
  close(): Promise<void>;
}

/** What the agent tells its sources about itself. */
export interface AgentStatus {
  /** Samples waiting in the spool. */
  spoolDepth: number;
  /** Samples lost since the agent started: spool overflow plus batches the gateway refused. */
  dropped: number;
}

export interface SourceContext {
  config: AgentConfig;
  /** Scoped to the source (`[site:da-bac] [link]`). */
  log: Logger;
  status(): AgentStatus;
  /** The agent's version (probes/package.json). */
  version: string;
  /** Where a source may keep small state across restarts (the spool folder). */
  stateDir: string;
}

/** A kind of source: when the config enables it, and how to build it. */
export interface SourcePlugin {
  readonly name: string;
  enabled(config: AgentConfig): boolean;
  create(ctx: SourceContext): Promise<Source>;
}
