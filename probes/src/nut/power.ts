// Maps a UPS's NUT variables (as returned by NutClient.listVars) to the fields
// of the NOC's `power` sample. A variable that is missing, or that should be a
// number but is not one, leaves its field out rather than guessing a value.

import type { fieldSchemas } from '@noc/shared/metrics';
import type { z } from 'zod';

/**
 * The `power` measurement's fields, as the ingest gateway validates them:
 * on_mains (ups.status has OL and not OB), status (ups.status as reported),
 * battery_pct (battery.charge), runtime_s (battery.runtime), input_v
 * (input.voltage), load_pct (ups.load).
 */
export type PowerSample = z.infer<(typeof fieldSchemas)['power']>;

const NUMERIC_FIELDS = [
  ['battery.charge', 'battery_pct'],
  ['battery.runtime', 'runtime_s'],
  ['input.voltage', 'input_v'],
  ['ups.load', 'load_pct'],
] as const;

// Plain decimal numbers only: "" and "0x10" are not numbers here, though Number() accepts them.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNutNumber(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  if (!DECIMAL.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function powerFromNutVars(vars: Readonly<Record<string, string>>): PowerSample {
  const sample: PowerSample = {};
  const status = vars['ups.status'];
  if (status !== undefined) {
    const flags = status.trim().split(/\s+/);
    sample.status = status;
    sample.on_mains = flags.includes('OL') && !flags.includes('OB');
  }
  for (const [nutName, field] of NUMERIC_FIELDS) {
    const n = parseNutNumber(vars[nutName]);
    if (n !== undefined) sample[field] = n;
  }
  return sample;
}
