// InfluxDB line protocol and InfluxQL quoting.
import type { Point } from '@noc/shared/metrics';

const escapeKey = (s: string) => s.replace(/[,= \\]/g, (c) => `\\${c}`);
const escapeMeasurement = (s: string) => s.replace(/[, \\]/g, (c) => `\\${c}`);
const escapeString = (s: string) => s.replace(/["\\]/g, (c) => `\\${c}`);

/**
 * One line per point, time in milliseconds (write with precision=ms). Numbers are
 * always written as floats so a field never changes type between writes.
 */
export function toLineProtocol(points: readonly Point[]): string {
  return points
    .map((p) => {
      const tags = Object.keys(p.tags)
        .sort()
        .map((k) => `,${escapeKey(k)}=${escapeKey(p.tags[k]!)}`)
        .join('');
      const fields = Object.entries(p.fields)
        .map(([k, v]) => {
          const value = typeof v === 'string' ? `"${escapeString(v)}"` : typeof v === 'boolean' ? String(v) : formatFloat(v);
          return `${escapeKey(k)}=${value}`;
        })
        .join(',');
      return `${escapeMeasurement(p.measurement)}${tags} ${fields} ${Math.round(p.time)}`;
    })
    .join('\n');
}

function formatFloat(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write non-finite number ${n}`);
  // Keep a decimal point so InfluxDB types the field as float even for whole numbers.
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export const quoteIdent = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
export const quoteLiteral = (s: string) => `'${s.replace(/['\\]/g, (c) => `\\${c}`)}'`;
