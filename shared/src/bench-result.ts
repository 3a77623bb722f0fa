// How every benchmark ends: one summary line per figure,
//   RESULT <name> <figure> <unit> (goal <op> <value>: met|not met)
// printed last, and the same figures as JSON in bench-results/<name>.json at the
// repository's root (ignored by git), so a script or a person reads the result
// without parsing the tables above it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type GoalOp = '>=' | '<=';

export interface BenchFigure {
  /** Kebab-case name, also the JSON file's name. */
  name: string;
  figure: number;
  unit: string;
  goal: { op: GoalOp; value: number };
  /** Figures behind the result (per series, per round …), kept in the JSON only. */
  details?: Record<string, unknown>;
}

export interface BenchRecord extends BenchFigure {
  met: boolean;
  /** When the run ended, ISO 8601. */
  at: string;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the JSON records go; NOC_BENCH_RESULTS moves them (tests use a temp folder). */
export const benchResultsDir = (): string => process.env.NOC_BENCH_RESULTS ?? join(ROOT, 'bench-results');

export function goalMet(figure: number, goal: BenchFigure['goal']): boolean {
  if (!Number.isFinite(figure)) return false;
  return goal.op === '>=' ? figure >= goal.value : figure <= goal.value;
}

/** Rounds a figure for the line: whole numbers stay whole, others keep 3 significant digits. */
export function formatFigure(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(3)));
}

export function resultLine(r: BenchFigure): string {
  const met = goalMet(r.figure, r.goal) ? 'met' : 'not met';
  return `RESULT ${r.name} ${formatFigure(r.figure)} ${r.unit} (goal ${r.goal.op} ${formatFigure(r.goal.value)}: ${met})`;
}

/**
 * Writes each figure to bench-results/<name>.json, then prints its RESULT
 * line, in the order given: call it as the benchmark's very last output.
 */
export function reportResults(figures: BenchFigure[], dir = benchResultsDir()): BenchRecord[] {
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  const records = figures.map((f) => ({ ...f, met: goalMet(f.figure, f.goal), at }));
  for (const r of records) writeFileSync(join(dir, `${r.name}.json`), JSON.stringify(r, null, 2) + '\n');
  for (const r of records) console.log(resultLine(r));
  return records;
}
