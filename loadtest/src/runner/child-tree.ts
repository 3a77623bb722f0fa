// A child process of the run (Artillery, ffmpeg) with everything it starts:
// stopped with SIGTERM to each process of its tree, then SIGKILL to whatever
// is still there. Chromium, which Playwright starts in a process group of its
// own, is part of the tree by parentage, so it goes too.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { processTree, readProc } from './proc-stat.ts';

export interface ChildTreeOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr go here. */
  logFile: string;
  /** In a process group of its own, so a Ctrl-C at the terminal reaches only its parent. */
  detached?: boolean;
}

export class ChildTree {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  /** Every process seen in the tree (pid → start time), so one whose parent died first is still found. */
  #seen = new Map<number, number>();

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
      child.once('error', () => {
        this.#exit ??= { code: -1, signal: null };
        resolve(this.#exit);
      });
    });
  }

  static start(opts: ChildTreeOptions): ChildTree {
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    const child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.detached ?? false,
    });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.once('error', (err) => log.write(`failed to start ${opts.command}: ${err.message}\n`));
    child.once('exit', () => setTimeout(() => log.end(), 100));
    return new ChildTree(opts.name, child);
  }

  get running(): boolean {
    return this.#exit === null;
  }

  get exitInfo(): { code: number | null; signal: NodeJS.Signals | null } | null {
    return this.#exit;
  }

  /** The live pids of the tree now (and remembered for the stop). */
  pids(): number[] {
    const live = this.child.pid === undefined ? [] : processTree(this.child.pid);
    for (const p of live) this.#seen.set(p.pid, p.startTicks);
    const orphans = [...this.#seen].filter(([pid, started]) => readProc(pid)?.startTicks === started).map(([pid]) => pid);
    return [...new Set([...live.map((p) => p.pid), ...orphans])];
  }

  /**
   * SIGTERM to every process of the tree (with `rootFirst`, to the root alone
   * first, for `graceMs`, so it stops its own children in order), SIGKILL
   * after `graceMs` to what is left; resolves when none is left.
   */
  async stop(graceMs = 5000, rootFirst = false): Promise<void> {
    if (rootFirst && this.running) {
      this.child.kill('SIGTERM');
      await Promise.race([this.exited, sleep(graceMs)]);
    }
    const signalAll = (signal: NodeJS.Signals) => {
      for (const pid of this.pids()) {
        try {
          process.kill(pid, signal);
        } catch {
          // gone already
        }
      }
    };
    signalAll('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (this.pids().length > 0 && Date.now() < deadline) await sleep(100);
    for (let round = 0; round < 20 && this.pids().length > 0; round++) {
      signalAll('SIGKILL');
      await sleep(100);
    }
    if (this.child.exitCode === null && this.child.signalCode === null) await Promise.race([this.exited, sleep(2000)]);
  }
}
