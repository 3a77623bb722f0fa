// The one reader of the environment for the simulator.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber, envPort } from '@noc/shared/env-number';

export interface SimulatorConfig {
  /** The NOC server the agents send to (through their link gates). */
  nocUrl: string;
  /** The NOC server's secret: probe tokens and the room pages' access tokens are issued from it. */
  secretFile: string;
  /** Every source's, the sender's and the room media's interval. */
  intervalMs: number;
  /** The scenario file; null for `SIM_SCENARIO=none` (healthy sites, no meeting). */
  scenarioFile: string | null;
  sitesFile: string | undefined;
  spoolRoot: string;
  /** The fault-injection endpoint's port on 127.0.0.1; null when it is off. 0 picks a free port. */
  controlPort: number | null;
  /** The SFU node the scenario's meetings are carried on; null leaves the SFU alone. */
  sfuUrl: string | null;
  /** The shortest time between two turns of a meeting's floor (each turn waits 1 to 2.25 times this). */
  floorPeriodMs: number;
}

const DEFAULT_SCENARIO = fileURLToPath(new URL('../../scenarios/default.json', import.meta.url));

export function readSimulatorConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const secretFile = env.NOC_SECRET_FILE;
  if (!secretFile) throw new Error('NOC_SECRET_FILE must name the NOC server secret the simulator issues its probe tokens from');
  const intervalMs = envNumber(env, 'SIM_INTERVAL_MS', 1000, { min: 100, max: 60_000, unit: 'milliseconds' });
  const controlPort = env.SIM_CONTROL_PORT === 'off' || !env.SIM_CONTROL_PORT?.trim() ? null : envPort(env, 'SIM_CONTROL_PORT', 0);
  const floorPeriodS = envNumber(env, 'SIM_FLOOR_PERIOD_S', 40, { min: 0.2, max: 3600, unit: 'seconds' });
  return {
    nocUrl: (env.NOC_URL ?? `http://127.0.0.1:${env.PORT ?? 8080}`).replace(/\/+$/, ''),
    secretFile,
    intervalMs,
    scenarioFile: env.SIM_SCENARIO === 'none' ? null : (env.SIM_SCENARIO ?? DEFAULT_SCENARIO),
    sitesFile: env.NOC_SITES_FILE || undefined,
    spoolRoot: resolve(env.SIM_SPOOL_DIR ?? (env.NOC_DATA_DIR ? join(env.NOC_DATA_DIR, 'sim-spool') : join(tmpdir(), 'noc-sim-spool'))),
    controlPort,
    sfuUrl: env.SFU_URL ? env.SFU_URL.replace(/\/+$/, '') : null,
    floorPeriodMs: floorPeriodS * 1000,
  };
}
