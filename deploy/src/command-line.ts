// The deployment commands' shared front: their options parsed with node:util's parseArgs, a
// refusal printed as `[name] message` with exit code 1, and the settings of an environment file
// (--env-file) loaded as systemd's EnvironmentFile would give them.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

export interface CommandLine<O extends ParseArgsOptionsConfig> {
  values: ReturnType<typeof parseArgs<{ options: O }>>['values'];
  /** Prints `[name] message` on stderr and exits with 1. */
  fail(message: string): never;
  /** Loads an environment file into process.env; a file that cannot be read is a refusal. */
  loadEnvFile(file: string | undefined): void;
}

export function commandLine<O extends ParseArgsOptionsConfig>(name: string, usage: string, options: O): CommandLine<O> {
  const fail = (message: string): never => {
    console.error(`[${name}] ${message}`);
    process.exit(1);
  };
  let values: CommandLine<O>['values'];
  try {
    values = parseArgs({ options }).values;
  } catch (err) {
    return fail(`${(err as Error).message}\n${usage}`);
  }
  return {
    values,
    fail,
    loadEnvFile(file) {
      if (file === undefined) return;
      try {
        process.loadEnvFile(file);
      } catch (err) {
        fail(`cannot read the environment file: ${(err as Error).message}`);
      }
    },
  };
}
