// The incident engine: checks every rule at every site (each second, and at
// once for a site whose samples just came), and turns verdicts into incidents.
//   - A condition must hold for the rule's `for` duration before an incident
//     opens, and the recovery condition for its own duration before it
//     resolves; `unknown` (no fresh data, or between the two thresholds)
//     moves neither clock, so neither direction flaps.
//   - One cause at one site is one incident; a cause that returns soon after
//     its resolution reopens it.
//   - An alarm whose cause is explained by another incident (the main SFU
//     down, the site offline) is recorded as suppressed by it, and one that
//     opens in a maintenance window as silenced: both are kept, not notified.
//     An alarm already notified stays announced: its resolution is still sent.
//   - A critical incident nobody acknowledged in time escalates.
// Every change goes to `onChange` with the notification it calls for, if any.
import type { HealthReport } from '@noc/shared/health';
import type { Incident, MaintenanceWindow, MeetingContext, NotificationEvent, RuleId, Severity } from '@noc/shared/incidents';
import { SEVERITY_RANK } from '@noc/shared/incidents';
import type { BaseRuleSettings, IncidentRules } from '@noc/shared/incident-rules';
import { coveringWindow } from '@noc/shared/maintenance';
import type { MeetingRecord, PolicyEvent } from '@noc/shared/meeting';
import type { Point } from '@noc/shared/metrics';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import type { Site } from '@noc/shared/sites';
import type { TrainingReadiness } from '../load-tests/training-readiness.ts';
import type { NotReadyNow } from '../readiness/readiness.ts';
import type { IncidentStore, NewTimelineEntry } from './incident-store.ts';
import { causesOf, RULES } from './rules/registry.ts';
import type { IncidentRule, RuleContext, RunningMeeting, Verdict } from './rules/rule.ts';
import { NetworkState } from './site-state.ts';

/** A firing incident's last-seen time is written back at most this often (it is also kept in memory). */
const LAST_SEEN_WRITE_MS = 15_000;
/**
 * Figures of a firing incident that changed (its params) are written and sent
 * on at most this often: as often as a probe reports, however many batches a
 * busy gateway brings (each write is a committed transaction).
 */
const PARAMS_WRITE_MS = 1000;
/** Samples of a site arriving closer together than this are checked together (at the next batch or tick). */
const SAMPLE_CHECK_MIN_MS = 100;

interface Track {
  /** The condition has held continuously since. */
  firingSince: number | null;
  /** The recovery condition has held continuously since. */
  clearSince: number | null;
  /** The incident of this cause that is not resolved. */
  incident: number | null;
  lastWrite: number;
}

export interface EngineOptions {
  sites: readonly Site[];
  store: IncidentStore;
  rules: () => IncidentRules;
  /** The planned meetings running at a moment (`ctx.plans.running`): when the running meeting should end; null: none known. */
  plannedNow: ((now: number) => readonly PlanOccurrence[]) | null;
  meetings: () => readonly MeetingRecord[];
  health: () => HealthReport | null;
  windows: () => readonly MaintenanceWindow[];
  onChange: (incident: Incident, notify: NotificationEvent | null) => void;
  /** The next tập huấn within `daysBefore` days and the latest capacity test before it; absent: none known. */
  trainingReadiness?: (now: number, daysBefore: number) => TrainingReadiness | null;
  /** The readiness check's latest "not ready" of a site for a meeting not over yet; absent: none known. */
  notReady?: (site: string, now: number) => NotReadyNow | null;
  log?: (message: string) => void;
  now?: () => number;
}

/** The order rules are checked in: causes before the alarms they explain. */
const CHECK_ORDER: RuleId[] = [
  'sfuMainDown',
  'sfuBackupDown',
  'siteOffline',
  ...(Object.keys(RULES) as RuleId[]).filter((r) => !['sfuMainDown', 'sfuBackupDown', 'siteOffline'].includes(r)),
];

const isNotifiable = (i: Incident): boolean => i.suppressedBy === null && i.maintenanceWindow === null;
/** How an incident ends without a person. */
const RECOVERED = {
  cause: 'the recovery condition held',
  text: 'resolved by itself: the recovery condition held for its full time',
  say: 'recovered',
} as const;
const OFF = { cause: 'the rule was switched off', text: 'closed: its rule was switched off', say: 'ruleOff' } as const;
/** The timeline line of an alarm a cause explains. */
const explainedEntry = (cause: Incident, at: number, suffix = ''): NewTimelineEntry => ({
  kind: 'suppressed',
  at,
  text: `explained by incident #${cause.id} (${cause.rule} at ${cause.site})${suffix}`,
  data: { say: 'explainedBy', id: cause.id, rule: cause.rule, site: cause.site },
});
/** The timeline line of an alarm a maintenance window silences. */
const windowEntry = (w: MaintenanceWindow, at: number): NewTimelineEntry => ({
  kind: 'suppressed',
  at,
  text: `in maintenance window #${w.id} (${w.reason}): recorded, not notified`,
  data: { say: 'inWindow', id: w.id, reason: w.reason },
});
/** Events that tell the receivers of an incident they have not heard of (or heard resolved). */
const OPENINGS: ReadonlySet<NotificationEvent> = new Set(['opened', 'reopened', 'unsuppressed']);

export class IncidentEngine {
  readonly state: NetworkState;
  #opts: EngineOptions;
  #sites: Map<string, Site>;
  #mainSite: string;
  #backupSite: string;
  /** By site, then rule (two lookups: no key string made on every check). */
  #tracks = new Map<string, Map<RuleId, Track>>();
  #listeningSince: number;
  #timer: NodeJS.Timeout | null = null;
  /** When each site was last checked. */
  #checkedAt = new Map<string, number>();
  #log: (message: string) => void;
  #now: () => number;
  /** Rule checks run, for the benchmark. */
  readonly stats = { checks: 0 };

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? ((m) => console.warn(`[incidents] ${m}`));
    this.#sites = new Map(opts.sites.map((s) => [s.id, s]));
    this.#mainSite = opts.sites.find((s) => s.role === 'main')?.id ?? opts.sites[0]!.id;
    this.#backupSite = opts.sites.find((s) => s.role === 'backup')?.id ?? this.#mainSite;
    this.state = new NetworkState(this.#sites.keys());
    this.#listeningSince = this.#now();
    // Incidents left open by the last run go on; their conditions are checked afresh.
    for (const i of opts.store.active()) this.#track(i.site, i.rule).incident = i.id;
  }

  /** Checks every site each `intervalMs`. */
  start(intervalMs = 500): void {
    this.#listeningSince = this.#now();
    this.#timer = setInterval(() => this.tick(), intervalMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Samples that reached the store: the sites they concern are checked at once. */
  onPoints(points: readonly Point[]): void {
    const now = this.#now();
    const due = [...this.state.apply(points, now)].filter((site) => now - (this.#checkedAt.get(site) ?? -Infinity) >= SAMPLE_CHECK_MIN_MS);
    if (due.length === 0) return;
    // What the checks write is committed together: one sync to disk, however many incidents moved.
    const health = this.#opts.health();
    this.#opts.store.batch(() => {
      for (const site of due) this.#checkSite(site, now, health);
    });
  }

  /** A breach the SFU refused. */
  onBreach(e: PolicyEvent): void {
    const s = this.state.sites.get(e.site);
    if (!s) return;
    const prior = s.breaches.get(e.type);
    if (prior && prior.happenedAt >= e.at) return;
    s.breaches.set(e.type, { at: this.#now(), happenedAt: e.at, meeting: e.meeting, detail: e.detail });
    const rule = (
      { 'mic-without-floor': 'micWithoutFloor', 'dial-outside-policy': 'dialOutsidePolicy', 'uninvited-join': 'uninvitedJoin' } as const
    )[e.type];
    const open = this.#track(e.site, rule).incident;
    // A breach while its incident is open is one more line on its timeline.
    if (open !== null) this.#opts.store.addEntry(open, { kind: 'evidence', at: e.at, text: e.detail, data: { ...e } });
    this.#checkSite(e.site, this.#now());
  }

  tick(): void {
    const now = this.#now();
    // One transaction for the round: with many sites silent at once, one sync to disk rather than one each.
    const health = this.#opts.health();
    this.#opts.store.batch(() => {
      for (const site of this.#orderedSites()) this.#checkSite(site, now, health);
      this.#escalate(now);
    });
  }

  /** The main point first: its node's incident must exist before the sites' alarms look for it. */
  #orderedSites(): string[] {
    return [this.#mainSite, ...[...this.#sites.keys()].filter((s) => s !== this.#mainSite)];
  }

  #track(site: string, rule: RuleId): Track {
    let bySite = this.#tracks.get(site);
    if (!bySite) {
      bySite = new Map();
      this.#tracks.set(site, bySite);
    }
    let t = bySite.get(rule);
    if (!t) {
      t = { firingSince: null, clearSince: null, incident: null, lastWrite: 0 };
      bySite.set(rule, t);
    }
    return t;
  }

  #applies(rule: IncidentRule, site: string): boolean {
    if (rule.at === 'main') return site === this.#mainSite;
    if (rule.at === 'backup') return site === this.#backupSite;
    return true;
  }

  /** The running meeting the site is invited to (the main point: any), and when it should end. */
  #meetingOf(site: string, now: number): RunningMeeting | null {
    const meetings = this.#opts.meetings();
    const record = meetings.find((m) => m.invitedSites.includes(site)) ?? (site === this.#mainSite ? meetings[0] : undefined);
    if (!record) return null;
    // The plan's occurrence of this meeting: the one of its title (a plan opens its meeting with it), else one of its kind.
    const running = this.#opts.plannedNow?.(now) ?? [];
    const planned = running.find((o) => o.title === record.title && o.kind === record.kind) ?? running.find((o) => o.kind === record.kind);
    const defaultMs = this.#opts.rules().rules.batteryLow.defaultMeetingMinutes * 60_000;
    return { record, endsAt: planned?.end ?? record.createdAt + defaultMs };
  }

  /** `health` is read once for a round of checks: building it looks at every site. */
  #checkSite(siteId: string, now: number, health: HealthReport | null = this.#opts.health()): void {
    const site = this.state.sites.get(siteId);
    const info = this.#sites.get(siteId);
    if (!site || !info) return;
    this.#checkedAt.set(siteId, now);
    const rules = this.#opts.rules();
    const meeting = this.#meetingOf(siteId, now);
    const quality = site.quality.current(now);
    const readiness = this.#opts.trainingReadiness;
    const trainingReadiness = (daysBefore: number) => (readiness ? readiness(now, daysBefore) : null);
    const notReadyOf = this.#opts.notReady;
    const notReady = () => (notReadyOf ? notReadyOf(siteId, now) : null);
    for (const id of CHECK_ORDER) {
      const rule = RULES[id] as IncidentRule;
      const settings = rules.rules[id] as BaseRuleSettings;
      if (!settings.enabled) {
        // A rule switched off no longer watches its cause: what it had open is closed, not left to escalate.
        const t = this.#tracks.get(siteId)?.get(id);
        if (t?.incident != null) this.#resolveAuto(t, now, OFF);
        continue;
      }
      if (!this.#applies(rule, siteId)) continue;
      const ctx = {
        now,
        site,
        quality,
        role: info.role,
        settings,
        meeting,
        health,
        listeningSince: this.#listeningSince,
        trainingReadiness,
        notReady,
      } as RuleContext;
      let verdict: Verdict;
      try {
        verdict = rule.check(ctx);
      } catch (err) {
        this.#log(`[site:${siteId}] rule ${id} failed: ${(err as Error).message}`);
        continue;
      }
      this.stats.checks++;
      this.#advance(siteId, id, settings, verdict, meeting, now);
    }
  }

  #advance(site: string, rule: RuleId, s: BaseRuleSettings, v: Verdict, meeting: RunningMeeting | null, now: number): void {
    const t = this.#track(site, rule);
    if (v.state === 'unknown') {
      t.firingSince = null;
      t.clearSince = null;
      return;
    }
    if (v.state === 'clear') {
      t.firingSince = null;
      t.clearSince ??= now;
      if (t.incident !== null && now - t.clearSince >= s.recoverForSeconds * 1000) this.#resolveAuto(t, now);
      return;
    }
    t.clearSince = null;
    t.firingSince ??= now;
    const severity = v.severity && SEVERITY_RANK[v.severity] < SEVERITY_RANK[s.severity] ? v.severity : s.severity;
    if (t.incident !== null) return this.#stillFiring(t, site, s, v, severity, now);
    if (now - t.firingSince >= s.forSeconds * 1000) this.#openOrReopen(t, site, rule, v, severity, meeting, now);
  }

  /** The incident of a cause that explains this alarm, if one is active. */
  #suppressor(site: string, rule: RuleId): Incident | null {
    for (const cause of causesOf(rule)) {
      const at = cause.where === 'main' ? this.#mainSite : site;
      const id = this.#track(at, cause.rule).incident;
      if (id !== null) return this.#opts.store.get(id);
    }
    return null;
  }

  #meetingContext(m: RunningMeeting | null): MeetingContext | null {
    return m ? { id: m.record.id, title: m.record.title, kind: m.record.kind, floor: m.record.floor } : null;
  }

  #openOrReopen(
    t: Track,
    site: string,
    rule: RuleId,
    v: Extract<Verdict, { state: 'firing' }>,
    severity: Severity,
    meeting: RunningMeeting | null,
    now: number,
  ): void {
    const { store } = this.#opts;
    const cause = this.#suppressor(site, rule);
    const window = coveringWindow(this.#opts.windows(), site, now);
    const silence: NewTimelineEntry[] = [];
    if (cause) silence.push(explainedEntry(cause, now, ': recorded, not notified'));
    if (window) silence.push(windowEntry(window, now));
    const evidence: NewTimelineEntry = { kind: 'evidence', at: now, text: '', data: { params: v.params, ...(v.evidence ?? {}) } };
    const ctx = this.#meetingContext(meeting);
    const previous = store.latest(site, rule);
    const reopenMs = this.#opts.rules().reopenWithinMinutes * 60_000;
    let incident: Incident;
    let event: NotificationEvent;
    if (previous && previous.state === 'resolved' && previous.resolvedAt !== null && now - previous.resolvedAt <= reopenMs) {
      incident = store.update(
        previous.id,
        {
          state: 'open',
          severity,
          params: v.params,
          lastSeenAt: now,
          reopenCount: previous.reopenCount + 1,
          resolvedAt: null,
          resolvedBy: null,
          resolveCause: null,
          acknowledgedAt: null,
          acknowledgedBy: null,
          escalatedAt: null,
          announcedAt: null,
          suppressedBy: cause?.id ?? null,
          maintenanceWindow: window?.id ?? null,
        },
        [
          {
            kind: 'reopened',
            at: now,
            text: `came back ${Math.round((now - previous.resolvedAt) / 1000)} s after it was resolved`,
            data: { say: 'cameBack', seconds: Math.round((now - previous.resolvedAt) / 1000), meeting: ctx },
          },
          evidence,
          ...silence,
        ],
      );
      event = 'reopened';
    } else {
      incident = store.open(
        {
          site,
          rule,
          severity,
          params: v.params,
          at: now,
          suppressedBy: cause?.id ?? null,
          maintenanceWindow: window?.id ?? null,
          meeting: ctx,
        },
        [
          {
            kind: 'opened',
            at: now,
            text: `held for ${Math.round((now - t.firingSince!) / 1000)} s`,
            data: { say: 'heldFor', seconds: Math.round((now - t.firingSince!) / 1000), meeting: ctx },
          },
          evidence,
          ...silence,
        ],
      );
      event = 'opened';
    }
    t.incident = incident.id;
    t.lastWrite = now;
    this.publish(incident, event);
    // A cause that opens now explains the alarms already open at the sites it covers.
    this.#suppressEffects(incident, now);
  }

  #stillFiring(
    t: Track,
    site: string,
    s: BaseRuleSettings,
    v: Extract<Verdict, { state: 'firing' }>,
    severity: Severity,
    now: number,
  ): void {
    const { store } = this.#opts;
    const current = store.get(t.incident!);
    if (!current) {
      t.incident = null;
      return;
    }
    const entries: NewTimelineEntry[] = [];
    const change: Parameters<IncidentStore['update']>[1] = {};
    let event: NotificationEvent | null = null;
    if (SEVERITY_RANK[severity] < SEVERITY_RANK[current.severity]) {
      change.severity = severity;
      entries.push({
        kind: 'severity',
        at: now,
        text: `${current.severity} → ${severity}`,
        data: { say: 'severity', from: current.severity, to: severity, params: v.params },
      });
      event = 'severity';
    }
    // Silenced until now: the cause that explained it is gone, or the maintenance window is over.
    // After a cause, the alarm stands on its own only once it has held its `for` time since the
    // cause resolved: the echo of an outage in the link's averages is not news.
    const cause = current.suppressedBy === null ? null : store.get(current.suppressedBy);
    if (cause?.state === 'resolved') {
      const other = this.#suppressor(site, current.rule);
      if (other) {
        change.suppressedBy = other.id;
        entries.push(explainedEntry(other, now));
      } else if (now - Math.max(t.firingSince!, cause.resolvedAt ?? 0) >= s.forSeconds * 1000) {
        change.suppressedBy = null;
        entries.push({
          kind: 'unsuppressed',
          at: now,
          text: `incident #${cause.id} is resolved and this still holds`,
          data: { say: 'causeResolved', id: cause.id },
        });
      }
    }
    if (current.maintenanceWindow !== null) {
      const windows = this.#opts.windows();
      const own = windows.find((x) => x.id === current.maintenanceWindow);
      // Its window over, another may still cover the site (back to back, or one for the whole network).
      const next = own && coveringWindow([own], site, now) ? own : coveringWindow(windows, site, now);
      if (!next) {
        change.maintenanceWindow = null;
        entries.push({
          kind: 'unsuppressed',
          at: now,
          text: `the maintenance window #${current.maintenanceWindow} is over and this still holds`,
          data: { say: 'windowOver', id: current.maintenanceWindow },
        });
      } else if (next.id !== current.maintenanceWindow) {
        change.maintenanceWindow = next.id;
        entries.push(windowEntry(next, now));
      }
    }
    const paramsChanged = JSON.stringify(v.params) !== JSON.stringify(current.params);
    if (entries.length === 0 && now - t.lastWrite < (paramsChanged ? PARAMS_WRITE_MS : LAST_SEEN_WRITE_MS)) return;
    change.lastSeenAt = now;
    change.params = v.params;
    t.lastWrite = now;
    const updated = store.update(current.id, change, entries);
    const wasSilent = !isNotifiable(current);
    if (wasSilent && isNotifiable(updated)) event = 'unsuppressed';
    // Figures that move every second are not news: only a state change is sent on.
    if (entries.length > 0 || paramsChanged) this.publish(updated, event);
  }

  #resolveAuto(t: Track, now: number, why: typeof RECOVERED | typeof OFF = RECOVERED): void {
    const { store } = this.#opts;
    const id = t.incident!;
    t.incident = null;
    const current = store.get(id);
    if (!current || current.state === 'resolved') return;
    const resolved = store.update(id, { state: 'resolved', resolvedAt: now, resolvedBy: null, resolveCause: why.cause }, [
      { kind: 'resolved', at: now, text: why.text, data: { say: why.say } },
    ]);
    this.publish(resolved, 'resolved');
  }

  /** A person resolved it: the cause's clocks start again, so it opens anew (or reopens) only if it holds again. */
  resolvedByHand(incident: Incident): void {
    const t = this.#track(incident.site, incident.rule);
    if (t.incident === incident.id) {
      t.incident = null;
      t.firingSince = null;
      t.clearSince = null;
    }
  }

  #suppressEffects(cause: Incident, now: number): void {
    const { store } = this.#opts;
    for (const i of store.active()) {
      if (i.id === cause.id || i.suppressedBy !== null) continue;
      const explains = causesOf(i.rule).some(
        (c) => c.rule === cause.rule && (c.where === 'main' ? cause.site === this.#mainSite : cause.site === i.site),
      );
      if (!explains) continue;
      const updated = store.update(i.id, { suppressedBy: cause.id }, [explainedEntry(cause, now)]);
      this.publish(updated, null);
    }
  }

  #escalate(now: number): void {
    const afterMs = this.#opts.rules().escalateAfterMinutes * 60_000;
    // Counted from when it was (re)announced: a reopened incident, or one a cause kept silent, gets its full time.
    for (const i of this.#opts.store.dueForEscalation(now - afterMs)) {
      if (!isNotifiable(i)) continue;
      const minutes = Math.round((now - (i.announcedAt ?? i.openedAt)) / 60_000);
      const updated = this.#opts.store.update(i.id, { escalatedAt: now }, [
        {
          kind: 'escalated',
          at: now,
          text: `not acknowledged ${minutes} min after it was notified`,
          data: { say: 'notAcknowledged', minutes },
        },
      ]);
      this.publish(updated, 'escalated');
    }
  }

  /**
   * Hands a change on with the notification it makes, if any. An opening is sent only when nothing
   * silences it (a cause that explains it, a maintenance window); from then on the incident is
   * announced and each later change is sent, even once a cause explains it, so that what the
   * receivers heard open they also hear resolved. An incident never announced sends nothing.
   */
  publish(incident: Incident, event: NotificationEvent | null): void {
    let notify: NotificationEvent | null = null;
    if (event !== null && OPENINGS.has(event)) {
      if (isNotifiable(incident) && incident.announcedAt === null) notify = event;
    } else if (event !== null && incident.announcedAt !== null) {
      notify = event;
    }
    const published =
      notify !== null && incident.announcedAt === null ? this.#opts.store.update(incident.id, { announcedAt: this.#now() }, []) : incident;
    try {
      this.#opts.onChange(published, notify);
    } catch (err) {
      this.#log(`[incident:${incident.id}] a listener failed: ${(err as Error).message}`);
    }
  }
}
