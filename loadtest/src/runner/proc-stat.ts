// Processes as Linux's /proc shows them: parent, command line and CPU time.
// The runner measures its own load generator with it (apart from the SFU) and
// checks that nothing it started is left.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** utime + stime, seconds. */
  cpuS: number;
  /** When it started, clock ticks since boot: with the pid, names one process even after pids are reused. */
  startTicks: number;
}

/** One process, or null when it is gone. */
export function readProc(pid: number): ProcInfo | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  if (state === 'Z' || state === 'X') return null;
  return { pid, ppid: Number(rest[1]), cpuS: (Number(rest[11]) + Number(rest[12])) / TICKS_PER_S, startTicks: Number(rest[19]) };
}

export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The process and every live descendant of it. */
export function processTree(root: number): ProcInfo[] {
  const procs = allPids()
    .map(readProc)
    .filter((p): p is ProcInfo => p !== null);
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    const siblings = children.get(p.ppid);
    if (siblings) siblings.push(p);
    else children.set(p.ppid, [p]);
  }
  const rootInfo = procs.find((p) => p.pid === root);
  if (!rootInfo) return [];
  const tree: ProcInfo[] = [];
  const queue = [rootInfo];
  while (queue.length) {
    const p = queue.shift()!;
    tree.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return tree;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The environment a process started with (empty when it cannot be read). */
export function environmentOf(pid: number): Map<string, string> {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter((e) => e.includes('='))
      .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as const);
    return new Map(entries);
  } catch {
    return new Map();
  }
}

/** Live processes started with `name` in their environment, set to a value that begins with `prefix`. */
export function processesWithEnvironment(name: string, prefix: string): number[] {
  return allPids().filter((pid) => pid !== process.pid && readProc(pid) !== null && environmentOf(pid).get(name)?.startsWith(prefix));
}

/** Live processes whose command line contains `needle` (zombies left out). */
export function processesMatching(needle: string): number[] {
  return allPids().filter((pid) => pid !== process.pid && readProc(pid) !== null && commandLine(pid).includes(needle));
}

/**
 * CPU of a changing set of processes between two reads, % of one core: the
 * growth of each process's CPU time that was there at both reads, over the
 * wall time between them.
 */
export class CpuMeter {
  #last = new Map<number, number>();
  #at = 0;

  /** % of one core since the previous call (null on the first). */
  read(pids: number[], now = performance.now()): number | null {
    const current = new Map<number, number>();
    for (const pid of pids) {
      const p = readProc(pid);
      if (p) current.set(pid, p.cpuS);
    }
    const first = this.#at === 0;
    let used = 0;
    for (const [pid, cpuS] of current) {
      const before = this.#last.get(pid);
      used += before === undefined ? 0 : Math.max(0, cpuS - before);
    }
    const elapsedS = (now - this.#at) / 1000;
    this.#last = current;
    this.#at = now;
    return first || elapsedS <= 0 ? null : (used / elapsedS) * 100;
  }
}
