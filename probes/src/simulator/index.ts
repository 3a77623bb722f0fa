// Simulates the probes of every site in the registry: each site runs a real
// probe agent in this process (disk spool, sender, heartbeat, room-sensor
// file), with its link and UPS simulated from the site's model, and sends
// through the ingest gateway exactly as a deployed probe does; in a meeting,
// its room page sends its media figures too. The scenario's faults happen on
// schedule, and more can be injected at run time on the control endpoint
// (SIM_CONTROL_PORT). With SFU_URL set, the scenario's meetings are carried
// on that SFU node too (floor and speaking queue included). A cut link is a per-site gate that refuses every
// connection, so the agent's own spool holds the samples and replays them.
import { readFile } from 'node:fs/promises';
import { loadRegistry } from '@noc/shared/sites-loader';
import { errorMessage } from '../agent/log.ts';
import { readSimulatorConfig } from './config.ts';
import { ControlServer } from './control-server.ts';
import { loadScenario, NO_SCENARIO } from './scenario.ts';
import { SfuMeetings } from './sfu-meetings.ts';
import { Simulator } from './simulator.ts';
import { TestCalls } from './test-calls.ts';
import { Timeline } from './timeline.ts';

const config = readSimulatorConfig();
const secret = Buffer.from((await readFile(config.secretFile, 'utf8')).trim(), 'hex');
const registry = await loadRegistry(config.sitesFile);
const scenario = config.scenarioFile ? await loadScenario(config.scenarioFile, new Set(registry.sites.map((s) => s.id))) : NO_SCENARIO;
const sim = new Simulator({
  timeline: new Timeline(scenario),
  nocUrl: config.nocUrl,
  secret,
  spoolRoot: config.spoolRoot,
  intervalMs: config.intervalMs,
});
let control: ControlServer | null = null;
let sfuMeetings: SfuMeetings | null = null;
let testCalls: TestCalls | null = null;
let stopping = false;

async function stop(code: number): Promise<never> {
  await control?.close();
  await sfuMeetings?.close();
  await testCalls?.close();
  await sim.close();
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`[simulator] ${signal}: stopping the probe agents`);
    void stop(0);
  });
}

try {
  for (const site of registry.sites) {
    if (stopping) break;
    await sim.addSite(site);
  }
} catch (err) {
  console.error(`[simulator] cannot start: ${errorMessage(err)}`);
  await stop(1);
}

if (config.sfuUrl && scenario.meetings.length > 0 && !stopping) {
  sfuMeetings = new SfuMeetings({
    sfuUrl: config.sfuUrl,
    secret,
    timeline: sim.timeline,
    siteIds: registry.sites.map((s) => s.id),
    elapsed: () => sim.elapsed(),
    floorPeriodMs: config.floorPeriodMs,
  });
}

if (config.sfuUrl && !stopping) {
  // The NOC's readiness test calls: the rooms invited to one join it.
  const calls = new TestCalls({
    signallingUrl: `${config.sfuUrl.replace(/^http/, 'ws')}/signalling`,
    secret,
    siteIds: registry.sites.map((s) => s.id),
    linkCut: (site) => sim.timeline.at(site, sim.elapsed()).linkCut,
    onChange: (site, inCall) => console.log(`[site:${site}] ${inCall ? 'in a test call: the room page is open' : 'test call over'}`),
  });
  sim.followTestCalls((site) => calls.inCall(site));
  testCalls = calls;
}

if (config.controlPort !== null && !stopping) {
  try {
    control = await ControlServer.start(sim, config.controlPort);
    console.log(`[simulator] fault injection on ${control.url}/faults (POST a fault, DELETE /faults/:id to end it)`);
  } catch (err) {
    // The sites matter more than the control endpoint: they go on without it.
    console.error(
      `[simulator] the control endpoint cannot listen on 127.0.0.1:${config.controlPort} (${errorMessage(err)}); running without it, set SIM_CONTROL_PORT to a free port`,
    );
  }
}

const { faults, meetings } = scenario;
console.log(
  `[simulator] ${sim.siteCount} probe agents sending to ${config.nocUrl}/api/ingest every ${config.intervalMs} ms (spools in ${config.spoolRoot}); scenario: ${scenario.name} (${meetings.length} meetings, ${faults.length} faults)`,
);
