// The readiness board of one occurrence: each invited site's readiness as the
// readiness check found it, with the site's own checklists as they stand now
// (this module's store is their record) and, after the meeting, whether its
// shutdown checklist is overdue. A checklist alone can make a site not ready
// (an item found wrong), never ready.
import { checklistComplete, itemsFoundWrong, type SavedChecklist } from '@noc/shared/checklists';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { READINESS_STATES, type ReadinessReason, type SiteReadiness } from '@noc/shared/readiness';
import { occurrencePhase, type ReadinessBoard } from '@noc/shared/readiness-board';
import { shutdownDueAt } from '@noc/shared/shutdown-overdue';
import type { Checklists } from './checklists.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** The board keeps showing a meeting this long after its shutdown checklists fell due. */
const AFTER_DUE_MS = 2 * HOUR;

/** The occurrence the board shows unless told: the running one, one just ended (its shutdowns), else the next. */
export function defaultOccurrence(list: readonly PlanOccurrence[], now: number, graceMs: number): PlanOccurrence | null {
  return (
    list.find((o) => o.start <= now && now < o.end) ??
    list.filter((o) => o.end <= now && now < shutdownDueAt(o.end, graceMs) + AFTER_DUE_MS).at(-1) ??
    list.find((o) => o.start > now) ??
    null
  );
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

/**
 * A site's row: the readiness check's result, with the site's checklist as it
 * stands now. An item found wrong since makes the site not ready (its
 * technician checked it, then); a site the check found not ready for its
 * checklist alone is ready once the list is complete and fine; a site not
 * checked yet says what is missing.
 */
export function withChecklist(base: SiteReadiness, checklist: SavedChecklist | null): SiteReadiness {
  const wrong = itemsFoundWrong(checklist);
  const reasons: ReadinessReason[] = base.reasons.filter((r) => r.code !== 'checklist-item');
  reasons.push(...wrong.map((item) => ({ code: 'checklist-item', params: { item, note: checklist!.items[item]?.note ?? '' } })));
  if (base.state === 'not-checked' && wrong.length === 0) {
    if (base.testCall === null) reasons.push({ code: 'no-readiness-run' });
    if (!checklist) reasons.push({ code: 'checklist-missing' });
    else if (!checklistComplete(checklist)) reasons.push({ code: 'checklist-incomplete' });
  }
  const byChecklist = wrong.length > 0 && base.state !== 'not-ready';
  // Not ready only for its checklist, which is now complete and fine: ready.
  const mended = base.state === 'not-ready' && reasons.length === 0 && checklistComplete(checklist);
  return {
    ...base,
    state: wrong.length > 0 ? 'not-ready' : mended ? 'ready' : base.state,
    reasons,
    checkedBy: byChecklist ? checklist!.by : (base.checkedBy ?? checklist?.by ?? null),
    checkedAt: byChecklist ? checklist!.at : (base.checkedAt ?? checklist?.at ?? null),
    checklist,
  };
}

export interface BoardSources {
  checklists: Checklists;
  /** The readiness checks' results (ctx.readiness). */
  readiness: { forOccurrence(key: string): SiteReadiness[] };
}

export function readinessBoard({ checklists, readiness }: BoardSources, key: string | undefined, now: number): ReadinessBoard {
  const source = checklists.occurrences;
  const near = source.occurrences(now - 2 * DAY, now + 60 * DAY);
  const o = key !== undefined ? checklists.occurrence(key) : defaultOccurrence(near, now, checklists.graceMs);
  const choices = near.map(({ key: k, title, kind, start, end }) => ({ key: k, title, kind, start, end })).slice(0, 30);
  const counts = Object.fromEntries(READINESS_STATES.map((s) => [s, 0])) as ReadinessBoard['counts'];
  if (!o) return { occurrence: null, phase: null, sites: [], counts, overdue: 0, overdueAt: null, choices, now };
  const runs = new Map(readiness.forOccurrence(o.key).map((r) => [r.site, r]));
  const sites = o.invitedSites.map((site): SiteReadiness => {
    const base = withChecklist(runs.get(site) ?? notChecked(o.key, site), checklists.get(o.key, site, 'pre'));
    const shutdown = checklists.get(o.key, site, 'shutdown');
    return {
      ...base,
      shutdown,
      shutdownOverdue: checklists.overdue(o, shutdown, now),
    };
  });
  for (const s of sites) counts[s.state] += 1;
  return {
    occurrence: o,
    phase: occurrencePhase(o, now),
    sites,
    counts,
    overdue: sites.filter((s) => s.shutdownOverdue).length,
    overdueAt: shutdownDueAt(o.end, checklists.graceMs),
    choices,
    now,
  };
}
