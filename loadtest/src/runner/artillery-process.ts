// One Artillery process of a run: `artillery run` of a scenario file with the
// scenario and phases chosen, a JSON report (`--output`) and a log in the
// run's folder, and the plan named in its environment.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { PLAN_ENV } from '../plan.ts';
import { ChildTree } from './child-tree.ts';

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Artillery's command-line entry (bin/run), found from this workspace. */
function artilleryBin(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('artillery/package.json').replace(/package\.json$/, ''), 'bin', 'run');
}

export interface ArtilleryRun {
  /** Short name for logs and reports, e.g. `seats`. */
  name: string;
  /** A file of loadtest/scenarios/, e.g. `capacity.yml`. */
  script: string;
  scenarioName?: string;
  /** Merged into the script (its phases, ensure thresholds, engine options). */
  overrides: Record<string, unknown>;
  planFile: string;
  nocUrl: string;
  workDir: string;
}

export interface StartedArtillery {
  tree: ChildTree;
  reportFile: string;
  logFile: string;
}

export function startArtillery(run: ArtilleryRun): StartedArtillery {
  const reportFile = join(run.workDir, `artillery-${run.name}.json`);
  const logFile = join(run.workDir, `artillery-${run.name}.log`);
  const args = [
    artilleryBin(),
    'run',
    '--output',
    reportFile,
    '--overrides',
    JSON.stringify(run.overrides),
    ...(run.scenarioName ? ['--scenario-name', run.scenarioName] : []),
    join(SCENARIOS_DIR, run.script),
  ];
  const tree = ChildTree.start({
    name: `artillery-${run.name}`,
    command: process.execPath,
    args,
    cwd: SCENARIOS_DIR,
    logFile,
    env: {
      ...process.env,
      [PLAN_ENV]: run.planFile,
      NOC_LOADTEST_NOC_URL: run.nocUrl,
      ARTILLERY_DISABLE_TELEMETRY: 'true',
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
      // No colours or spinners in the log file.
      NO_COLOR: '1',
      CI: '1',
    },
  });
  return { tree, reportFile, logFile };
}
