// Grafana's macros and template variables in a dashboard query, replaced as
// Grafana's InfluxDB datasource does before it sends the query: InfluxQL's
// $timeFilter and $__interval; Flux's v.timeRangeStart, v.timeRangeStop,
// v.windowPeriod, v.defaultBucket and v.organization; and variables as `$name`
// or `${name}` (a value inside a regex literal /…/ is regex-escaped, as
// Grafana does there).
import type { QueryLanguage } from './datasources.ts';

export interface MacroContext {
  /** The dashboard's time range, ms since the epoch. */
  from: number;
  to: number;
  /** The panel's interval (Grafana's $__interval and v.windowPeriod), ms. */
  intervalMs: number;
  /** Template variables' current values. */
  variables?: Record<string, string>;
  /** The Flux datasource's default bucket and organisation. */
  bucket?: string;
  organization?: string;
}

/** An interval as Grafana writes it: `10s`, `1m`, `500ms` … */
export function formatInterval(ms: number): string {
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`an interval must be a positive whole number of ms, not ${ms}`);
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const regexEscape = (value: string): string => value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

function replaceVariables(query: string, variables: Record<string, string>): string {
  // Inside /…/ (an InfluxQL or Flux regex literal) the value is escaped; elsewhere it goes in as it is.
  return query.replace(
    /(\/\^?)([^/\n]*)(\$?\/)|\$\{(\w+)\}|\$(\w+)/g,
    (whole, open?: string, body?: string, close?: string, braced?: string, bare?: string) => {
      if (open !== undefined) {
        return open + body!.replace(/\$\{(\w+)\}|\$(\w+)/g, (v, b?: string, n?: string) => lookup(v, b ?? n!, variables, true)) + close;
      }
      return lookup(whole, (braced ?? bare)!, variables, false);
    },
  );
}

function lookup(whole: string, name: string, variables: Record<string, string>, inRegex: boolean): string {
  if (name.startsWith('__') || name === 'timeFilter') return whole; // Grafana's own macros, replaced apart
  const value = variables[name];
  if (value === undefined) throw new Error(`the query uses the template variable $${name}, which has no value`);
  return inRegex ? regexEscape(value) : value;
}

/** The query as Grafana sends it to InfluxDB. */
export function substituteMacros(language: QueryLanguage, query: string, ctx: MacroContext): string {
  if (!(ctx.from < ctx.to)) throw new Error(`the time range must start before it ends (from ${ctx.from}, to ${ctx.to})`);
  const interval = formatInterval(ctx.intervalMs);
  // Variables first, on the query as written (the only slashes then are its regex literals' own).
  const q = replaceVariables(query, ctx.variables ?? {});
  if (language === 'influxql') {
    return q.replace(/\$timeFilter\b/g, `time >= ${ctx.from}ms and time <= ${ctx.to}ms`).replace(/\$__interval\b/g, interval);
  }
  return q
    .replace(/\bv\.timeRangeStart\b/g, `time(v: "${new Date(ctx.from).toISOString()}")`)
    .replace(/\bv\.timeRangeStop\b/g, `time(v: "${new Date(ctx.to).toISOString()}")`)
    .replace(/\bv\.windowPeriod\b/g, interval)
    .replace(/\bv\.defaultBucket\b/g, JSON.stringify(requireSetting(ctx.bucket, 'bucket')))
    .replace(/\bv\.organization\b/g, JSON.stringify(ctx.organization ?? ''));
}

function requireSetting(value: string | undefined, name: string): string {
  if (!value) throw new Error(`a Flux query needs the datasource's ${name}`);
  return value;
}
