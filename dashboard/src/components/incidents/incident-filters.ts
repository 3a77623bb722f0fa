// The incident list's filters, as the page holds them, as the address keeps
// them (so a filtered list can be linked to and survives a reload) and as the
// API is asked.
import type { LocationQuery } from 'vue-router';
import { SEVERITIES, type Severity } from '@noc/shared/incidents';

/** `active`: not resolved yet (open or acknowledged); `all`: any state. */
export const STATE_FILTERS = ['active', 'open', 'acknowledged', 'resolved', 'all'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export interface IncidentFilters {
  /** A site id, or '' for every site the user may see. */
  site: string;
  severity: Severity | '';
  state: StateFilter;
  /** Open at some time within [from, to] (ms), either end left open when null. */
  from: number | null;
  to: number | null;
}

export const DEFAULT_FILTERS: Readonly<IncidentFilters> = { site: '', severity: '', state: 'active', from: null, to: null };

const one = (v: LocationQuery[string] | undefined): string =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
const moment = (v: string): number | null => (/^\d{1,16}$/.test(v) ? Number(v) : null);
const isIn = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

export function filtersFromQuery(q: LocationQuery): IncidentFilters {
  const severity = one(q.severity);
  const state = one(q.state);
  return {
    site: one(q.site),
    severity: isIn(SEVERITIES, severity) ? severity : '',
    state: isIn(STATE_FILTERS, state) ? state : DEFAULT_FILTERS.state,
    from: moment(one(q.from)),
    to: moment(one(q.to)),
  };
}

/** Only what differs from the defaults. */
export function queryOf(f: IncidentFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.site) q.site = f.site;
  if (f.severity) q.severity = f.severity;
  if (f.state !== DEFAULT_FILTERS.state) q.state = f.state;
  if (f.from !== null) q.from = String(f.from);
  if (f.to !== null) q.to = String(f.to);
  return q;
}

export const sameFilters = (a: IncidentFilters, b: IncidentFilters): boolean => JSON.stringify(queryOf(a)) === JSON.stringify(queryOf(b));

/** `GET /api/incidents?…`; `withSite` false for a technician, whom the server keeps to its own site anyway. */
/** The `GET /api/incidents` query of the filters. */
export function listQuery(f: IncidentFilters, withSite: boolean): URLSearchParams {
  const q = new URLSearchParams();
  if (withSite && f.site) q.set('site', f.site);
  if (f.severity) q.set('severity', f.severity);
  if (f.state !== 'all') q.set('state', f.state);
  if (f.from !== null) q.set('from', String(f.from));
  if (f.to !== null) q.set('to', String(f.to));
  return q;
}
