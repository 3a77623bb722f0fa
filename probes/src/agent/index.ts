// The probe agent's process: reads the config, starts the agent, and stops it
// cleanly on SIGINT/SIGTERM. SIGUSR2 runs the on-demand bandwidth test.
//   node probes/src/agent/index.ts --config /etc/noc-probe/da-bac.json
import { parseArgs } from 'node:util';
import { Agent } from './agent.ts';
import { loadAgentConfig } from './config.ts';
import { errorMessage } from './log.ts';

// A log reader that goes away (a closed pipe) must not take the agent with it.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

let configFile: string | undefined;
try {
  configFile = parseArgs({ options: { config: { type: 'string' } } }).values.config;
} catch (err) {
  console.error(`[probe] ${errorMessage(err)}`);
}
if (!configFile) {
  console.error('[probe] usage: node probes/src/agent/index.ts --config <file.json>');
  process.exit(2);
}

let agent: Agent;
try {
  agent = await Agent.create(await loadAgentConfig(configFile));
} catch (err) {
  console.error(`[probe] cannot start: ${errorMessage(err)}`);
  process.exit(1);
}

process.on('SIGUSR2', () => {
  agent.log.info('SIGUSR2: measuring bandwidth');
  void agent.measureOnDemand();
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      agent.log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    agent.log.info(`${signal}: stopping`);
    // Nothing is left running after close(), so the process ends by itself.
    agent.close().catch((err: unknown) => {
      agent.log.error(`stopping failed: ${errorMessage(err)}`);
      process.exitCode = 1;
    });
  });
}
