// The sites' checklists (pre-meeting, Điều 8.3; shutdown, Điều 9.2): ticked per
// occurrence of a plan by the site's own technician, or by an admin or operator
// acting for the site (the record says which); each save goes to the audit log.
// The access rule of the routes keeps a technician to its own site; here the
// occurrence, the invitation, the time and the items are checked.
import type { DatabaseSync } from 'node:sqlite';
import type { SessionUser } from '@noc/shared/auth';
import {
  CHECKLIST_ACTORS,
  itemsNotOf,
  type ChecklistActor,
  type ChecklistInput,
  type SavedChecklist,
  type SiteChecklists,
} from '@noc/shared/checklists';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import type { ChecklistKind } from '@noc/shared/readiness';
import { shutdownDueAt, shutdownOverdue } from '@noc/shared/shutdown-overdue';
import { HttpError } from '../errors.ts';
import type { AuditLog } from '../incidents/audit-log.ts';
import { ChecklistStore } from './checklist-store.ts';
import type { OccurrenceSource } from './occurrence-source.ts';

const DAY = 86_400_000;
/** How far ahead a site's page looks for its next meeting, and back for its last one. */
const NEXT_WITHIN_MS = 60 * DAY;
const LAST_WITHIN_MS = 7 * DAY;

const KIND_NAMES: Record<ChecklistKind, string> = { pre: 'pre-meeting', shutdown: 'shutdown' };

export interface ChecklistsOptions {
  db: DatabaseSync;
  occurrences: OccurrenceSource;
  audit: AuditLog;
  /** A shutdown checklist is overdue this long after the end. */
  graceMs: number;
  now?: () => number;
}

export class Checklists {
  readonly store: ChecklistStore;
  readonly graceMs: number;
  #opts: ChecklistsOptions;
  #now: () => number;

  constructor(opts: ChecklistsOptions) {
    this.store = new ChecklistStore(opts.db);
    this.graceMs = opts.graceMs;
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  get occurrences(): OccurrenceSource {
    return this.#opts.occurrences;
  }

  get(occurrence: string, site: string, kind: ChecklistKind): SavedChecklist | null {
    return this.store.get(occurrence, site, kind);
  }

  /** The occurrence, or 404. */
  occurrence(key: string): PlanOccurrence {
    const o = this.#opts.occurrences.occurrence(key);
    if (!o) throw new HttpError(404, `no occurrence "${key}" among the meeting plans`);
    return o;
  }

  /** Is the shutdown checklist of `site` overdue for this occurrence? */
  overdue(o: PlanOccurrence, shutdown: SavedChecklist | null, now = this.#now()): boolean {
    return shutdownOverdue(o.end, shutdown, now, this.graceMs);
  }

  /** Saves what `user` ticked (replacing the site's earlier save of that list). */
  save(key: string, site: string, kind: ChecklistKind, input: ChecklistInput, user: SessionUser): SavedChecklist {
    const o = this.occurrence(key);
    if (!o.invitedSites.includes(site)) throw new HttpError(400, `site: "${site}" is not invited to "${o.title}"`, 'site');
    const wrong = itemsNotOf(kind, input.items)[0];
    if (wrong !== undefined) {
      throw new HttpError(400, `invalid checklist: items.${wrong}: not an item of the ${KIND_NAMES[kind]} checklist`, `items.${wrong}`);
    }
    const now = this.#now();
    if (kind === 'shutdown' && now < o.start) {
      throw new HttpError(409, `the shutdown checklist of "${o.title}" is ticked once the meeting has begun`);
    }
    if (!(CHECKLIST_ACTORS as readonly string[]).includes(user.role)) {
      throw new HttpError(403, `a ${user.role} does not tick a site's checklist`);
    }
    const items: SavedChecklist['items'] = {};
    for (const [item, check] of Object.entries(input.items)) {
      if (check) items[item as keyof typeof items] = check.ok ? { ok: true } : { ok: false, note: check.note! };
    }
    const saved = this.store.save({
      occurrence: key,
      site,
      kind,
      items,
      by: user.username,
      byName: user.displayName,
      byRole: user.role as ChecklistActor,
      at: now,
    });
    this.#opts.audit.record(user.username, `checklist.${kind}`, `checklist:${key}/${site}`, {
      items,
      actingFor: user.role === 'technician' ? null : site,
    });
    return saved;
  }

  /** A site's page: its next meeting (running or coming) with its checklist, and its last ended one with its shutdown checklist. */
  forSite(site: string, now = this.#now()): SiteChecklists {
    const invited = this.#opts.occurrences
      .occurrences(now - LAST_WITHIN_MS, now + NEXT_WITHIN_MS)
      .filter((o) => o.invitedSites.includes(site));
    const next = invited.find((o) => o.end > now) ?? null;
    const last = invited.filter((o) => o.end <= now).at(-1) ?? null;
    const shutdown = last ? this.store.get(last.key, site, 'shutdown') : null;
    return {
      site,
      next: next
        ? { occurrence: next, checklist: this.store.get(next.key, site, 'pre'), shutdown: this.store.get(next.key, site, 'shutdown') }
        : null,
      last: last
        ? { occurrence: last, shutdown, overdue: this.overdue(last, shutdown, now), overdueAt: shutdownDueAt(last.end, this.graceMs) }
        : null,
    };
  }
}
