// A checked point as one line of InfluxDB's line protocol, timestamps in
// milliseconds. Numbers go as floats (no `i` suffix): a field first written as
// a whole number must take a fraction later.
//
// It runs for every sample the gateway stores, so it escapes only what can need
// it: the measurement, the tag keys and the field keys are names checkPoints
// has already held to [a-z_][a-z0-9_]*, which line protocol takes as they are;
// tag values and string fields go through influxdb-client's own escapers, and
// only when they hold a character those escape.
import { escape } from '@influxdata/influxdb-client';
import type { Point } from '@noc/shared/metrics';

/** Characters a tag value escapes (comma, equals sign, space) or may not hold plain (line breaks, backslash). */
const TAG_SPECIAL = /[,= \\\n\r\t]/;
/** Characters a string field escapes inside its quotes. */
const QUOTED_SPECIAL = /["\\]/;

const tagValue = (v: string) => (TAG_SPECIAL.test(v) ? escape.tag(v) : v);
const quoted = (v: string) => (QUOTED_SPECIAL.test(v) ? escape.quoted(v) : `"${v}"`);

/** The point must have passed checkPoints (store.ts): its names are not escaped. */
export function toLine(p: Point): string {
  let line: string = p.measurement;
  // Tags go as they are: influxd puts them in order itself.
  for (const k in p.tags) line += `,${k}=${tagValue(p.tags[k]!)}`;
  let sep = ' ';
  for (const k in p.fields) {
    const v = p.fields[k];
    line += `${sep}${k}=${typeof v === 'string' ? quoted(v) : String(v)}`;
    sep = ',';
  }
  return `${line} ${Math.round(p.time)}`;
}
