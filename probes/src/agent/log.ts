// Scoped logging for the probe agent: every line says which site it is about
// (`[site:da-bac]`) and, below that, which part of the agent (`[power]`).
// `changed()` prints a state only when it differs from the last one printed
// under the same key, so a failure that lasts an hour is one line, not 3,600.

export interface Logger {
  readonly scope: string;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Prints `message` unless it is the same as the last one printed under `key`. */
  changed(key: string, level: 'info' | 'warn' | 'error', message: string): void;
  /** Forgets the last state under `key`, so the next `changed()` prints again. */
  clear(key: string): void;
  /** A logger whose lines carry this scope and `[name]` after it. */
  child(name: string): Logger;
}

export interface LogSink {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

export function createLogger(scope: string, sink: LogSink = console): Logger {
  const last = new Map<string, string>();
  const write = (level: 'info' | 'warn' | 'error', message: string): void => sink[level](`${scope} ${message}`);
  return {
    scope,
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
    changed(key, level, message) {
      if (last.get(key) === message) return;
      last.set(key, message);
      write(level, message);
    },
    clear: (key) => void last.delete(key),
    child: (name) => createLogger(`${scope} [${name}]`, sink),
  };
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
