// CPU time of processes from /proc (Linux): the benchmark's way to see what
// Chromium's renderer costs. A process's share is the user + system time it
// used over a stretch of wall-clock time, in % of one core.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

let clockTicksPerSecond: number | null = null;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on every common Linux). */
function ticksPerSecond(): number {
  if (clockTicksPerSecond === null) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSecond = 100;
    }
  }
  return clockTicksPerSecond;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null; // gone meanwhile
  }
}

/**
 * A process's arguments. Chromium's child processes rewrite their command
 * line as one space-separated string, so spaces split it too (good enough to
 * look for a flag).
 */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split(/[\0 ]+/)
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Every process below `root` (children, grandchildren …), not `root` itself. */
export function descendants(root: number): number[] {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readStat(Number(name)) ?? []);
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * Measures the CPU share of the processes `select()` names, from one call of
 * `lap()` to the next. The selection is made again at every lap, so processes
 * that start meanwhile count from the lap they are first seen.
 */
export class CpuMeter {
  #select: () => number[];
  #last = new Map<number, number>();
  #lastAt = 0;

  constructor(select: () => number[]) {
    this.#select = select;
    this.lap();
  }

  /** % of one core used since the previous lap, and how many processes were measured. */
  lap(): { pct: number; processes: number } {
    const now = performance.now();
    const next = new Map<number, number>();
    let ticks = 0;
    for (const pid of this.#select()) {
      const stat = readStat(pid);
      if (!stat) continue;
      next.set(pid, stat.ticks);
      const before = this.#last.get(pid);
      if (before !== undefined) ticks += stat.ticks - before;
    }
    const seconds = (now - this.#lastAt) / 1000;
    this.#last = next;
    this.#lastAt = now;
    return { pct: seconds > 0 ? (ticks / ticksPerSecond() / seconds) * 100 : 0, processes: next.size };
  }
}
