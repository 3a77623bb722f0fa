// The meeting plans (Điều 7) as the server uses them: operators and admins make,
// change and delete plans (each change checked against the site registry and
// written to the audit log), admins set the calendar (shift rule, holidays),
// and everything else asks for occurrences: the incident engine (when the
// running meeting ends), the capacity-test reader (the next tập huấn), the
// wall's next meeting, the opener of SFU meetings.
import type { DatabaseSync } from 'node:sqlite';
import type { SessionUser } from '@noc/shared/auth';
import type { MeetingPlan, PlanCalendar, PlanInput, PlanOccurrence } from '@noc/shared/meeting-plans';
import { planProblem } from '@noc/shared/plan-check';
import { daysInMonth, occurrenceByKey, occurrencesOf, parseOccurrenceKey } from '@noc/shared/plan-occurrences';
import type { Schedule } from '@noc/shared/schedule';
import type { Site } from '@noc/shared/sites';
import { NOC_TIME_ZONE } from '@noc/shared/zoned-time';
import { HttpError } from '../errors.ts';
import type { AuditLog } from '../incidents/audit-log.ts';
import { seedPlans } from './plan-seed.ts';
import { PlanStore, type StoredCalendar } from './plan-store.ts';

const DAY_MS = 24 * 3600_000;
/** How long an answer about what runs now stands (the incident engine asks on every tick). */
const RUNNING_FRESH_MS = 2000;

export interface PlansOptions {
  db: DatabaseSync;
  sites: ReadonlyMap<string, Site>;
  audit: AuditLog;
}

export class Plans {
  readonly store: PlanStore;
  #sites: ReadonlyMap<string, Site>;
  #audit: AuditLog;
  /** Plans and calendar as last read; dropped on every change. */
  #cache: { plans: MeetingPlan[]; calendar: PlanCalendar } | null = null;
  #running: { at: number; list: PlanOccurrence[] } | null = null;

  constructor(opts: PlansOptions) {
    this.store = new PlanStore(opts.db);
    this.#sites = opts.sites;
    this.#audit = opts.audit;
  }

  #state(): { plans: MeetingPlan[]; calendar: PlanCalendar } {
    this.#cache ??= { plans: this.store.list(), calendar: { ...this.store.calendar(), timeZone: NOC_TIME_ZONE } };
    return this.#cache;
  }

  #changed(): void {
    this.#cache = null;
    this.#running = null;
  }

  list(): MeetingPlan[] {
    return this.#state().plans;
  }

  /** The plans a user may read: all, or for a technician those that invite its site. */
  visibleTo(user: Pick<SessionUser, 'role' | 'site'>): MeetingPlan[] {
    const all = this.list();
    return user.role === 'technician' ? all.filter((p) => user.site !== null && p.invitedSites.includes(user.site)) : all;
  }

  get(id: number): MeetingPlan | null {
    return this.list().find((p) => p.id === id) ?? null;
  }

  calendar(): PlanCalendar {
    return this.#state().calendar;
  }

  /** Occurrences of every plan overlapping [from, to), by start. */
  occurrences(from: number, to: number): PlanOccurrence[] {
    const { plans, calendar } = this.#state();
    return occurrencesOf(plans, calendar, from, to);
  }

  /** The occurrence a key names (`<planId>@<YYYY-MM-DD>` or `<planId>@once`), or null. */
  occurrence(key: string): PlanOccurrence | null {
    const parsed = parseOccurrenceKey(key);
    const plan = parsed ? this.get(parsed.planId) : null;
    return plan ? occurrenceByKey(plan, this.calendar(), key) : null;
  }

  /** Occurrences running at `now` (started, not ended); kept a moment, for callers that ask many times a second. */
  running(now: number): PlanOccurrence[] {
    const kept = this.#running;
    if (kept && now >= kept.at && now - kept.at < RUNNING_FRESH_MS) return kept.list.filter((o) => o.start <= now && o.end > now);
    const list = this.occurrences(now, now + RUNNING_FRESH_MS + 1);
    this.#running = { at: now, list };
    return list.filter((o) => o.start <= now && o.end > now);
  }

  /** The first occurrence starting after `now` within a year (for a technician: one inviting its site). */
  next(now: number, site: string | null = null): PlanOccurrence | null {
    return this.occurrences(now, now + 367 * DAY_MS).find((o) => o.start > now && (site === null || o.invitedSites.includes(site))) ?? null;
  }

  #check(input: PlanInput): void {
    const problem = planProblem(input, this.#sites);
    if (problem) throw new HttpError(400, `invalid plan: ${problem.field}: ${problem.message}`, problem.field);
  }

  create(input: PlanInput, by: SessionUser): MeetingPlan {
    this.#check(input);
    const plan = this.store.insert(input, by.username);
    this.#changed();
    this.#audit.record(by.username, 'plan.create', `plan:${plan.id}`, input);
    return plan;
  }

  update(id: number, input: PlanInput, by: SessionUser): MeetingPlan {
    if (!this.store.get(id)) throw new HttpError(404, `no meeting plan #${id}`);
    this.#check(input);
    const plan = this.store.update(id, input)!;
    this.#changed();
    this.#audit.record(by.username, 'plan.update', `plan:${id}`, input);
    return plan;
  }

  delete(id: number, by: SessionUser): void {
    const plan = this.store.get(id);
    if (!plan || !this.store.delete(id)) throw new HttpError(404, `no meeting plan #${id}`);
    this.#changed();
    this.#audit.record(by.username, 'plan.delete', `plan:${id}`, { title: plan.title, kind: plan.kind });
  }

  setCalendar(calendar: StoredCalendar, by: SessionUser): PlanCalendar {
    const dates = new Set<string>();
    for (const [i, h] of calendar.holidays.entries()) {
      const field = `holidays[${i}].date`;
      const [y, m, d] = h.date.split('-').map(Number) as [number, number, number];
      if (d > daysInMonth(y, m)) throw new HttpError(400, `invalid calendar: ${field}: ${h.date} is not a day of the calendar`, field);
      if (dates.has(h.date)) throw new HttpError(400, `invalid calendar: ${field}: ${h.date} is listed twice`, field);
      dates.add(h.date);
    }
    const sorted = { shift: calendar.shift, holidays: [...calendar.holidays].sort((a, b) => (a.date < b.date ? -1 : 1)) };
    this.store.setCalendar(sorted);
    this.#changed();
    this.#audit.record(by.username, 'plan.calendar', 'plan-calendar', sorted);
    return this.calendar();
  }

  /** On a first start (no plan, no seed taken), the file's regular meetings become plans; the plans made, or null. */
  seed(schedule: Schedule, file: string): MeetingPlan[] | null {
    const made = this.store.seed(file, seedPlans(schedule, [...this.#sites.values()]));
    if (made) {
      this.#changed();
      this.#audit.record(null, 'plan.seed', file, { plans: made.map((p) => p.id) });
    }
    return made;
  }
}
