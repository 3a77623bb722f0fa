// The readiness check a day before each meeting (Điều 8.2), as the server runs
// it (`ctx.readiness`): automatically once for every planned occurrence
// starting within the lead (24–26 h by default), and on demand for operators
// and admins. A run checks every invited site in turn, as the backup control
// point does: a test call through the SFU (test-call.ts), its figures read back
// from the sample store (measure-call.ts), then the evaluation against the
// incident rules' thresholds with the site's latest power and room readings,
// its pre-meeting checklist and, for a big meeting, the last capacity test
// (evaluate-readiness.ts). Each site's result is stored as soon as it is known.
// One run at a time; others wait in turn.
import type { LoadTestRun } from '@noc/shared/load-test';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { AUTOMATIC_CHECKER, type ReadinessRun, type ReadinessSettings } from '@noc/shared/readiness-check';
import type { ChecklistRecord, SiteReadiness } from '@noc/shared/readiness';
import type { EnvNow, PowerNow } from '@noc/shared/site-state';
import type { Site } from '@noc/shared/sites';
import { HttpError } from '../errors.ts';
import type { SampleStore } from '../store/store.ts';
import { evaluateReadiness, type ReadinessThresholds, type TestCallOutcome } from './evaluate-readiness.ts';
import { measureCall } from './measure-call.ts';
import type { ReadinessConfig } from './readiness-config.ts';
import type { ReadinessStore, StoredReadiness } from './readiness-store.ts';
import { runTestCall, type TestCallResult } from './test-call.ts';

/** The plans as the check reads them (`ctx.plans`). */
export interface PlanSource {
  occurrences(from: number, to: number): readonly PlanOccurrence[];
  occurrence(key: string): PlanOccurrence | null;
}

/** A site's own pre-meeting checklist (`ctx.checklists.get(key, site, 'pre')`). */
export type ChecklistSource = (occurrence: string, site: string) => ChecklistRecord | null;

/** What the site-not-ready rule reads: the earliest meeting not yet over that the site was last found not ready for. */
export interface NotReadyNow {
  occurrence: string;
  title: string;
  startsAt: number;
  endsAt: number;
  reasons: SiteReadiness['reasons'];
}

export interface ReadinessOptions {
  store: ReadinessStore;
  samples: SampleStore;
  plans: PlanSource;
  sites: ReadonlyMap<string, Site>;
  /** The main node's signalling, `ws://…/signalling`. */
  signallingUrl: string;
  secret: Buffer;
  config: ReadinessConfig;
  /** The site's latest power and room readings, as the NOC last saw them. */
  siteNow: (site: string) => { power: PowerNow | null; env: EnvNow | null };
  checklist: ChecklistSource;
  thresholds: () => ReadinessThresholds;
  /** The latest judged capacity test (finished or failed) that ended in [from, to), or null. */
  capacityRun: (from: number, to: number) => LoadTestRun | null;
  /** How many days before a big meeting its capacity test counts (the `loadTestFailed` rule's `daysBefore`). */
  capacityDays: () => number;
  /** A site's result changed. */
  onChange?: (r: SiteReadiness) => void;
  log?: (message: string) => void;
  now?: () => number;
}

const DAY_MS = 24 * 3600_000;
/** After the call, the rooms' last samples need a moment to pass the ingest into the store. */
const SETTLE_MS = 1500;
/** The rule asks on every engine tick: the not-ready list is read again at most this often (and on every result). */
const NOT_READY_FRESH_MS = 5000;

interface Queued {
  run: ReadinessRun;
  occurrence: PlanOccurrence;
}

export class Readiness {
  #o: ReadinessOptions;
  #store: ReadinessStore;
  #queue: Queued[] = [];
  #current: Queued | null = null;
  #working: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #abort = new AbortController();
  #notReady: { at: number; bySite: Map<string, NotReadyNow> } | null = null;
  #log: (message: string) => void;
  #now: () => number;

  constructor(o: ReadinessOptions) {
    this.#o = o;
    this.#store = o.store;
    this.#log = o.log ?? ((m) => console.warn(`[readiness] ${m}`));
    this.#now = o.now ?? Date.now;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.checkDue(), this.#o.config.tickMs);
    this.#timer.unref();
    this.checkDue();
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#abort.abort();
    for (const q of this.#queue) this.#store.endRun(q.run.id, 'the NOC server stopped before the check began');
    this.#queue = [];
    await this.#working;
  }

  get settings(): ReadinessSettings {
    return this.#store.settings({ bigMeetingAttendees: this.#o.config.bigMeetingAttendees });
  }

  setSettings(s: ReadinessSettings): ReadinessSettings {
    this.#store.setSettings(s);
    return this.settings;
  }

  /** Every invited site's latest result for an occurrence (those not checked yet as such), by the occurrence's order of sites. */
  forOccurrence(key: string): SiteReadiness[] {
    const stored = new Map(this.#store.forOccurrence(key).map((r) => [r.site, r]));
    const occurrence = this.#o.plans.occurrence(key);
    const sites = occurrence ? occurrence.invitedSites : [...stored.keys()];
    return sites.map((site) => {
      const r = stored.get(site);
      return r ? withoutMeta(r) : notChecked(key, site);
    });
  }

  /** Stored results of occurrences starting in [from, to), for reports. */
  between(from: number, to: number): StoredReadiness[] {
    return this.#store.between(from, to);
  }

  /** The latest run for an occurrence (running, waiting or ended), or null. */
  lastRun(key: string): ReadinessRun | null {
    return this.#store.lastRun(key);
  }

  /** Whether a run for the occurrence waits or goes on now. */
  pending(key: string): boolean {
    return this.#current?.occurrence.key === key || this.#queue.some((q) => q.occurrence.key === key);
  }

  /** Starts a check of the occurrence now (after any run already going); answers its run. */
  runNow(key: string, by: string): ReadinessRun {
    const occurrence = this.#o.plans.occurrence(key);
    if (!occurrence) throw new HttpError(404, `no planned meeting ${key}`);
    if (occurrence.end <= this.#now())
      throw new HttpError(409, `the meeting ${key} ("${occurrence.title}") is over: there is nothing to check`);
    if (this.pending(key)) throw new HttpError(409, `a readiness check of ${key} is already going on or waiting`);
    return this.#enqueue(occurrence, false, by);
  }

  /** Queues every occurrence starting within the lead that the automatic run has not taken yet. */
  checkDue(): void {
    const now = this.#now();
    const { leadFromMs, leadToMs } = this.#o.config;
    let due: readonly PlanOccurrence[];
    try {
      due = this.#o.plans.occurrences(now + leadFromMs, now + leadToMs);
    } catch (err) {
      this.#log(`reading the planned meetings: ${(err as Error).message}`);
      return;
    }
    for (const o of due) {
      if (o.start < now + leadFromMs || o.start >= now + leadToMs) continue;
      if (this.#store.autoRunTaken(o.key) || this.pending(o.key)) continue;
      this.#enqueue(o, true, AUTOMATIC_CHECKER);
    }
  }

  /** For the site-not-ready rule: the earliest meeting not over yet that the site was last found not ready for. */
  notReady(site: string, now: number): NotReadyNow | null {
    let kept = this.#notReady;
    if (!kept || now < kept.at || now - kept.at >= NOT_READY_FRESH_MS) {
      kept = { at: now, bySite: notReadyBySite(this.#store.upcoming(now)) };
      this.#notReady = kept;
    }
    const hit = kept.bySite.get(site);
    return hit && hit.endsAt > now ? hit : null;
  }

  #enqueue(occurrence: PlanOccurrence, automatic: boolean, by: string): ReadinessRun {
    const run = this.#store.startRun(occurrence.key, automatic, by, this.#now());
    this.#queue.push({ run, occurrence });
    this.#log(`check of ${occurrence.key} ("${occurrence.title}") queued by ${by} as run #${run.id}`);
    this.#working ??= this.#drain().finally(() => {
      this.#working = null;
    });
    return run;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0 && !this.#abort.signal.aborted) {
      const next = this.#queue.shift()!;
      this.#current = next;
      let error: string | null = null;
      try {
        await this.#runChecks(next);
      } catch (err) {
        error = (err as Error).message;
        this.#log(`run #${next.run.id} of ${next.occurrence.key} failed: ${error}`);
      } finally {
        this.#current = null;
      }
      if (this.#abort.signal.aborted) error ??= 'the NOC server stopped during the check';
      this.#store.endRun(next.run.id, error, this.#now());
    }
  }

  async #runChecks({ run, occurrence }: Queued): Promise<void> {
    // The occurrence as the plans give it now (a plan may have changed since it was queued).
    const current = this.#o.plans.occurrence(occurrence.key) ?? occurrence;
    for (const site of current.invitedSites) {
      if (this.#abort.signal.aborted) return;
      const result = await this.checkSite(current, site, run.startedBy);
      // A call cut short by the server stopping says nothing of the site: it is not kept.
      if (this.#abort.signal.aborted) return;
      this.#store.save(current, result);
      this.#notReady = null;
      this.#log(
        `${site} for ${current.key}: ${result.state}${result.reasons.length ? ` (${result.reasons.map((r) => r.code).join(', ')})` : ''}`,
      );
      this.#o.onChange?.(result);
    }
  }

  /** One site: its test call, then the evaluation. */
  async checkSite(occurrence: PlanOccurrence, site: string, by: string): Promise<SiteReadiness> {
    const backup = [...this.#o.sites.values()].find((s) => s.role === 'backup')?.id ?? null;
    const name = this.#o.sites.get(site)?.shortName ?? site;
    const { callMs, joinTimeoutMs } = this.#o.config;
    const call: TestCallResult = await runTestCall({
      signallingUrl: this.#o.signallingUrl,
      secret: this.#o.secret,
      kind: occurrence.kind,
      title: `Thử kết nối ${name}: ${occurrence.title}`,
      site,
      backupSite: backup,
      callMs,
      joinTimeoutMs,
      signal: this.#abort.signal,
    });
    let outcome: TestCallOutcome;
    if (!call.opened) outcome = call;
    else if (!call.joined) outcome = { opened: true, joined: false };
    else {
      await sleep(SETTLE_MS);
      outcome = { opened: true, joined: true, figures: await measureCall(this.#o.samples, site, call.from, call.to) };
    }
    const now = this.#now();
    const settings = this.settings;
    const attendees = Object.values(occurrence.attendees).reduce((a, b) => a + b, 0);
    const needed = occurrence.kind === 'tap-huan' || attendees > settings.bigMeetingAttendees;
    const { power, env } = this.#o.siteNow(site);
    return evaluateReadiness({
      occurrence: occurrence.key,
      site,
      call: outcome,
      power,
      env,
      checklist: this.#o.checklist(occurrence.key, site),
      capacity: needed
        ? { needed: true, run: this.#o.capacityRun(occurrence.start - this.#o.capacityDays() * DAY_MS, now + 1) }
        : { needed: false },
      thresholds: this.#o.thresholds(),
      checkedBy: by,
      now,
    });
  }
}

/** Per site, the earliest of these results (by start) that says not ready. */
export function notReadyBySite(results: readonly StoredReadiness[]): Map<string, NotReadyNow> {
  const bySite = new Map<string, NotReadyNow>();
  for (const r of [...results].sort((a, b) => a.startsAt - b.startsAt)) {
    if (r.state !== 'not-ready' || bySite.has(r.site)) continue;
    bySite.set(r.site, { occurrence: r.occurrence, title: r.title, startsAt: r.startsAt, endsAt: r.endsAt, reasons: r.reasons });
  }
  return bySite;
}

function withoutMeta(r: StoredReadiness): SiteReadiness {
  const { title: _title, startsAt: _startsAt, endsAt: _endsAt, ...rest } = r;
  return rest;
}

const notChecked = (occurrence: string, site: string): SiteReadiness => ({
  occurrence,
  site,
  state: 'not-checked',
  reasons: [],
  checkedBy: null,
  checkedAt: null,
  testCall: null,
  checklist: null,
  shutdown: null,
  shutdownOverdue: false,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
