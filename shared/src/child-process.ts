// A child process the NOC starts and stops: output prefixed with its name (or
// sent to a log file), stopped with SIGTERM and, after a grace period, SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ManagedOptions {
  name: string;
  command: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append output here instead of echoing it with a `[name]` prefix. */
  logFile?: string;
  /** Echo nothing (output still goes to logFile when set). */
  quiet?: boolean;
}

export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  #tail: string[] = [];

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitInfo = { code, signal };
        resolve(this.#exitInfo);
      });
    });
  }

  static start(opts: ManagedOptions): ManagedProcess {
    const child = spawn(opts.command, opts.args ?? [], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const managed = new ManagedProcess(opts.name, child);
    const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : null;
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        managed.#remember(line);
        log?.write(line + '\n');
        // Lines that already carry their own scope (`[sfu:main] …`) are echoed as they are.
        if (!log && !opts.quiet) process.stdout.write(line.startsWith('[') ? `${line}\n` : `[${opts.name}] ${line}\n`);
      });
    }
    child.once('error', (err) => managed.#remember(`failed to start ${opts.command}: ${err.message}`));
    child.once('exit', () => log?.end());
    return managed;
  }

  get running(): boolean {
    return this.#exitInfo === null && this.child.exitCode === null;
  }

  /** The last lines it printed, for error messages. */
  get tail(): string {
    return this.#tail.join('\n');
  }

  #remember(line: string): void {
    this.#tail.push(line);
    if (this.#tail.length > 30) this.#tail.shift();
  }

  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
