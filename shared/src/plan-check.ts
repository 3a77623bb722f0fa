// What a plan must satisfy beyond its shape, against the site registry: every
// invited site known, attendees only for invited sites and at most 40 at each
// point (Điều 2.3, 4.3, named by the site's Vietnamese name), a one-off meeting
// ending after it starts, a rule's `until` not before its `from`. The server
// refuses a plan with the first problem; the plan editor shows the same words.
// Pure: runs in Node and the browser.
import { ATTENDEE_LIMIT, type PlanInput } from './meeting-plans.ts';
import type { Site } from './sites.ts';

export interface PlanProblem {
  field: string;
  message: string;
}

/** The message for too many attendees at one site, e.g. "Đà Bắc: 45 người dự vượt quá 40 người mỗi điểm cầu (Điều 2.3, 4.3)". */
export const attendeeLimitMessage = (siteName: string, count: number): string =>
  `${siteName}: ${count} người dự vượt quá ${ATTENDEE_LIMIT} người mỗi điểm cầu (Điều 2.3, 4.3)`;

/** The first problem of a plan, or null when it holds. */
export function planProblem(input: PlanInput, sites: ReadonlyMap<string, Pick<Site, 'id' | 'shortName'>>): PlanProblem | null {
  const seen = new Set<string>();
  for (const [i, id] of input.invitedSites.entries()) {
    if (!sites.has(id)) return { field: `invitedSites[${i}]`, message: `unknown site "${id}"` };
    if (seen.has(id)) return { field: `invitedSites[${i}]`, message: `site "${id}" is invited twice` };
    seen.add(id);
  }
  for (const [id, count] of Object.entries(input.attendees)) {
    const site = sites.get(id);
    if (!site) return { field: `attendees.${id}`, message: `unknown site "${id}"` };
    if (!seen.has(id)) return { field: `attendees.${id}`, message: `${site.shortName} is not invited: attendees only for invited sites` };
    if (count > ATTENDEE_LIMIT) return { field: `attendees.${id}`, message: attendeeLimitMessage(site.shortName, count) };
  }
  const { timing } = input;
  if (timing.type === 'once' && timing.end <= timing.start) return { field: 'timing.end', message: 'must be after the start' };
  if (timing.type === 'recurring' && timing.from && timing.until && timing.until < timing.from) {
    return { field: 'timing.until', message: 'must not be before from' };
  }
  return null;
}
