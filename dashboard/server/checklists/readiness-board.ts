// The readiness board of one occurrence: each invited site's readiness as the
// readiness run found it, with the site's own checklists (this module's store
// is their record) and, after the meeting, whether its shutdown checklist is
// overdue. A site the run has not reached is not checked; its checklist alone
// can make it not ready (an item found wrong), never ready.
import { checklistComplete, itemsFoundWrong } from '@noc/shared/checklists';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { READINESS_STATES, type ReadinessReason, type SiteReadiness } from '@noc/shared/readiness';
import { occurrencePhase, type ReadinessBoard } from '@noc/shared/readiness-board';
import { shutdownDueAt } from '@noc/shared/shutdown-overdue';
import type { Checklists } from './checklists.ts';
import type { ReadinessSource } from './readiness-source.ts';

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

function withoutRun(o: PlanOccurrence, site: string, checklists: Checklists): SiteReadiness {
  const checklist = checklists.get(o.key, site, 'pre');
  const wrong = itemsFoundWrong(checklist);
  const reasons: ReadinessReason[] = [{ code: 'no-readiness-run' }];
  if (!checklist) reasons.push({ code: 'checklist-missing' });
  else if (wrong.length > 0) reasons.push(...wrong.map((item) => ({ code: 'checklist-item-wrong', params: { item } })));
  else if (!checklistComplete(checklist)) reasons.push({ code: 'checklist-incomplete' });
  return {
    occurrence: o.key,
    site,
    state: wrong.length > 0 ? 'not-ready' : 'not-checked',
    reasons,
    checkedBy: checklist?.by ?? null,
    checkedAt: checklist?.at ?? null,
    testCall: null,
    checklist,
    shutdown: null,
    shutdownOverdue: false,
  };
}

export interface BoardSources {
  checklists: Checklists;
  readiness: ReadinessSource;
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
    const base = runs.get(site) ?? withoutRun(o, site, checklists);
    const shutdown = checklists.get(o.key, site, 'shutdown');
    return {
      ...base,
      checklist: checklists.get(o.key, site, 'pre'),
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
