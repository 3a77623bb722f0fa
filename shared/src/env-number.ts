// A number read from the environment: the fallback when the variable is unset
// or empty, otherwise the value, which must be a number (whole if asked) within
// [min, max]; anything else throws an error naming the variable, the range and
// what was given, so a typo stops the process at start with its cause.

export interface EnvNumberRange {
  min: number;
  max: number;
  /** Only whole numbers (ports, counts, milliseconds). */
  integer?: boolean;
  /** The unit shown in the error, e.g. "milliseconds". */
  unit?: string;
}

export function envNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, range: EnvNumberRange): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  const whole = range.integer === true;
  if (!Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < range.min || n > range.max) {
    const kind = whole ? 'a whole number' : 'a number';
    const unit = range.unit ? ` ${range.unit}` : '';
    throw new Error(`${name} must be ${kind} from ${range.min} to ${range.max}${unit}, got "${raw}"`);
  }
  return n;
}

/** A TCP/UDP port; 0 lets the system choose one. */
export const envPort = (env: NodeJS.ProcessEnv, name: string, fallback: number): number =>
  envNumber(env, name, fallback, { min: 0, max: 65535, integer: true });
