// `npm run loadtest`: a capacity test from the command line. Without --noc it
// starts a private whole system (scripts/start.ts on free loopback ports),
// signs in as its admin and runs the test there; with --noc it runs on that
// NOC server. It starts the run through the loadTests routes, prints a live
// line every few seconds, stops the run on Ctrl-C, and ends with the checks,
// the ceiling and the RESULT line (bench-results/loadtest-<scenario>.json).
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadTestRun, LoadTestSettingsInput } from '@noc/shared/load-test';
import { CliArgumentError, parseCliArgs, USAGE, type CliArgs } from './cli-args.ts';
import { liveLine, printOutcome } from './cli-report.ts';
import { NocClient } from './noc-client.ts';
import { startPrivateSystem, type PrivateSystem } from './private-system.ts';

const POLL_MS = 2000;
const LINE_EVERY_MS = 6000;
const ENDED: readonly LoadTestRun['status'][] = ['finished', 'stopped', 'failed'];

const say = (line: string) => console.log(`[loadtest] ${line}`);

async function siteIds(client: NocClient, sites: CliArgs['sites']): Promise<string[]> {
  if ('ids' in sites) return sites.ids;
  const registry = (await client.call('sites')).sites;
  if (sites.count !== Infinity && sites.count > registry.length) {
    throw new CliArgumentError('--sites', `${sites.count} sites asked for, the registry has ${registry.length}`);
  }
  return registry.slice(0, sites.count === Infinity ? registry.length : sites.count).map((s) => s.id);
}

async function run(args: CliArgs): Promise<number> {
  let system: PrivateSystem | null = null;
  const stopSystem = async () => {
    const s = system;
    system = null;
    if (s) {
      say('stopping the private system');
      await s.stop();
    }
  };
  try {
    let client: NocClient;
    if (args.noc) {
      client = await NocClient.signIn(args.noc.url, args.noc.user, args.noc.password);
    } else {
      system = await startPrivateSystem(say);
      client = await NocClient.signIn(system.url, 'admin', system.adminPassword);
    }
    const settings: LoadTestSettingsInput = {
      scenario: args.scenario,
      sites: await siteIds(client, args.sites),
      seats: args.seats,
      durationS: args.durationS,
      browsers: args.browsers,
      walls: args.walls,
      thresholds: args.thresholds,
      force: args.force,
    };
    let { run } = await client.call('loadTests.start', { body: settings });
    say(`load test #${run.id}: ${args.scenario}, ${settings.sites.length} sites × ${args.seats} seats, ${args.durationS} s`);

    let stopping = false;
    const onInterrupt = () => {
      if (stopping) {
        say('second Ctrl-C: leaving without waiting');
        process.exit(130);
      }
      stopping = true;
      say('Ctrl-C: stopping the run (again to leave at once)');
      client.call('loadTests.stop', { params: { id: run.id } }).catch((err: Error) => say(`stopping failed: ${err.message}`));
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);

    const started = Date.now();
    let lastLine = 0;
    let ingestMaxRate: number | null = null;
    for (;;) {
      await sleep(POLL_MS);
      const answer = await client.call('loadTests.get', { params: { id: run.id } });
      run = answer.run;
      const latest = answer.figures.at(-1);
      // The offered rate only rises (the probes are a running maximum): the newest figure has the highest.
      if (latest?.ingestRate != null) ingestMaxRate = Math.max(ingestMaxRate ?? 0, latest.ingestRate);
      if (latest && Date.now() - lastLine >= LINE_EVERY_MS) {
        lastLine = Date.now();
        say(liveLine(latest, (Date.now() - started) / 1000));
      }
      if (ENDED.includes(run.status)) break;
    }
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    await stopSystem();
    return printOutcome(run, ingestMaxRate);
  } finally {
    await stopSystem();
  }
}

let args: CliArgs;
try {
  args = parseCliArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof CliArgumentError)) throw err;
  console.error(`error: ${err.message}\n${USAGE}`);
  process.exit(2);
}
try {
  process.exitCode = await run(args);
} catch (err) {
  if (err instanceof CliArgumentError) {
    console.error(`error: ${err.message}`);
    process.exit(2);
  }
  console.error(`[loadtest] error: ${(err as Error).message}`);
  process.exitCode = 1;
}
