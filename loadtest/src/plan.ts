// What the runner hands the Artillery scenarios of one run: the addresses, the
// meeting, the tokens it issued and the rates. The runner writes it as JSON in
// the run's folder and names the file in NOC_LOADTEST_PLAN; the processors read
// it once. One type for both sides.
import { readFileSync } from 'node:fs';

/** How often each simulated party acts; the README's table of rates comes from here. */
export interface LoadTestRates {
  /** Every probe posts one batch (a heartbeat and a link sample) this often. */
  probeIntervalMs: number;
  /** The control centre raises a speaking request for a random site this often. */
  speakingRequestIntervalMs: number;
  /** … and gives the floor to the first site in the queue this often. */
  floorGrantIntervalMs: number;
  /** A chat message from the control centre this often. */
  chatIntervalMs: number;
  /** Ingest scenario: probes posting from the start; each step doubles them, up to the most. */
  ingestStartProbes: number;
  ingestStepMs: number;
  ingestMaxProbes: number;
}

export const DEFAULT_RATES: LoadTestRates = {
  probeIntervalMs: 1000,
  speakingRequestIntervalMs: 20_000,
  floorGrantIntervalMs: 40_000,
  chatIntervalMs: 10_000,
  ingestStartProbes: 12,
  ingestStepMs: 5000,
  ingestMaxProbes: 6144,
};

export interface LoadTestPlan {
  runId: number;
  scenario: 'capacity' | 'ingest';
  signallingUrl: string;
  nocUrl: string;
  /** The load-test meeting (capacity scenario). */
  meetingId: string | null;
  /** The run's start and end are written here once Artillery is up (run-clock.ts). */
  clockFile: string;
  durationMs: number;
  /** Seats join spread over this long from the start. */
  rampMs: number;
  /** Loopback UDP port the runner collects figures on (figure-datagram.ts). */
  figuresPort: number;
  /** A folder where each seat claims its number with an exclusive file create (works across Artillery's workers). */
  claimDir: string;
  sites: string[];
  seatsPerSite: number;
  /** Wall clients holding the live feed (capacity scenario), each signed in with `tokens.wall`. */
  walls: number;
  /** Sites whose endpoint is a Chromium room page rather than a publisher. */
  browserSites: string[];
  tokens: {
    operator: string;
    /** Per site: its seats' access token, its endpoint's access token, its probe token. */
    seat: Record<string, string>;
    site: Record<string, string>;
    probe: Record<string, string>;
    /** The display token the host made for the run's walls, or null (then no wall is played). */
    wall: string | null;
  };
  /** Ingest scenario: the acknowledgement p95 that counts as leaving the threshold, ms. */
  ingestAckLimitMs: number;
  rates: LoadTestRates;
}

export const PLAN_ENV = 'NOC_LOADTEST_PLAN';

/** The plan named in the environment; an error naming the variable when it is missing or unreadable. */
export function readPlan(env: NodeJS.ProcessEnv = process.env): LoadTestPlan {
  const file = env[PLAN_ENV];
  if (!file) throw new Error(`${PLAN_ENV} is not set: the scenarios run under the load-test runner, which writes the plan`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LoadTestPlan;
  } catch (err) {
    throw new Error(`${PLAN_ENV}=${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
}
