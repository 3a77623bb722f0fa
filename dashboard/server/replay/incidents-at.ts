// The incidents that were not resolved at a past moment, as they stood then,
// rebuilt from what the incident store keeps: each record's opening and
// resolution times choose the candidates (opened at or before the moment, not
// resolved before it: the store's own "open during" filter), and its timeline,
// replayed up to the moment, gives the state then: opened or reopened,
// acknowledged (by whom, when), resolved, its severity (the highest reached by
// then), silenced by a cause or a maintenance window, escalated, the chair told.
import type { Incident, IncidentParams, Severity, TimelineEntry } from '@noc/shared/incidents';
import type { IncidentStore } from '../incidents/incident-store.ts';

/** The most incidents a moment's list holds (the wall shows 20). */
const MAX_INCIDENTS = 500;

const newestFirst = (a: Incident, b: Incident): number => b.openedAt - a.openedAt || b.id - a.id;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const paramsOf = (e: TimelineEntry): IncidentParams | null => {
  const p = e.data?.params;
  return p && typeof p === 'object' ? (p as IncidentParams) : null;
};

/** The incident as its timeline says it stood at `at`; null when it was resolved (or not yet open) then. */
export function incidentAt(now: Incident, timeline: readonly TimelineEntry[], at: number): Incident | null {
  const firstSeverity = timeline.find((e) => e.kind === 'severity')?.data?.from;
  const i: Incident = {
    ...now,
    state: 'open',
    severity: typeof firstSeverity === 'string' ? (firstSeverity as Severity) : now.severity,
    lastSeenAt: now.openedAt,
    reopenCount: 0,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolveCause: null,
    suppressedBy: null,
    maintenanceWindow: null,
    isp: null,
    chairInformedAt: null,
    chairInformedBy: null,
    escalatedAt: null,
    announcedAt: null,
  };
  let opened = false;
  for (const e of timeline) {
    if (e.at > at) break;
    switch (e.kind) {
      case 'opened':
        opened = true;
        break;
      case 'reopened':
        Object.assign(i, {
          state: 'open',
          reopenCount: i.reopenCount + 1,
          acknowledgedAt: null,
          acknowledgedBy: null,
          resolvedAt: null,
          resolvedBy: null,
          resolveCause: null,
          escalatedAt: null,
          suppressedBy: null,
          maintenanceWindow: null,
        });
        break;
      case 'acknowledged':
        Object.assign(i, { state: 'acknowledged', acknowledgedAt: e.at, acknowledgedBy: e.by });
        break;
      case 'resolved':
        Object.assign(i, { state: 'resolved', resolvedAt: e.at, resolvedBy: e.by, resolveCause: e.text });
        break;
      case 'severity':
        if (typeof e.data?.to === 'string') i.severity = e.data.to as Severity;
        break;
      case 'suppressed':
        if (e.data?.say === 'explainedBy') i.suppressedBy = num(e.data.id);
        else if (e.data?.say === 'inWindow') i.maintenanceWindow = num(e.data.id);
        break;
      case 'unsuppressed':
        if (e.data?.say === 'causeResolved') i.suppressedBy = null;
        else if (e.data?.say === 'windowOver') i.maintenanceWindow = null;
        break;
      case 'escalated':
        i.escalatedAt = e.at;
        break;
      case 'chair-informed':
        Object.assign(i, { chairInformedAt: e.at, chairInformedBy: e.by });
        break;
      case 'isp': {
        const { provider, ticket, cause, fix, expectedAt } = e.data ?? {};
        if (typeof provider === 'string')
          i.isp = {
            provider,
            ticket: String(ticket ?? ''),
            cause: String(cause ?? ''),
            fix: String(fix ?? ''),
            expectedAt: num(expectedAt),
          };
        break;
      }
      case 'notified':
        i.announcedAt ??= e.at;
        break;
      default:
        break;
    }
    const params = paramsOf(e);
    if (params) i.params = params;
    if (e.kind !== 'comment') i.lastSeenAt = Math.max(i.lastSeenAt, e.at);
  }
  return opened && i.state !== 'resolved' ? i : null;
}

/** The incidents not resolved at `at`, newest first; `sites` limits them (null: every site). */
export function incidentsAt(store: IncidentStore, at: number, sites: readonly string[] | null): Incident[] {
  const candidates = store.list({ from: at, to: at, limit: MAX_INCIDENTS }, sites);
  const out: Incident[] = [];
  for (const c of candidates) {
    const then = incidentAt(c, store.timeline(c.id), at);
    if (then) out.push(then);
  }
  return out.sort(newestFirst);
}
