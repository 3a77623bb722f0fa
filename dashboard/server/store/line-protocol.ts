// A checked point as one line of InfluxDB's line protocol, escaped by
// influxdb-client's own escapers, timestamps in milliseconds. Numbers go as
// floats (no `i` suffix): a field first written as a whole number must take a
// fraction later.
import { escape } from '@influxdata/influxdb-client';
import type { Point } from '@noc/shared/metrics';

export function toLine(p: Point): string {
  let line = escape.measurement(p.measurement);
  // Tags go as they are: influxd puts them in order itself.
  for (const k in p.tags) line += `,${escape.tag(k)}=${escape.tag(p.tags[k]!)}`;
  let sep = ' ';
  for (const k in p.fields) {
    const v = p.fields[k];
    const value = typeof v === 'string' ? escape.quoted(v) : String(v);
    line += `${sep}${escape.tag(k)}=${value}`;
    sep = ',';
  }
  return `${line} ${Math.round(p.time)}`;
}
