// The regular meetings of Điều 7 (shared/data/schedule.json or NOC_SCHEDULE_FILE)
// as the first plans: on a first start, with no plan in the database, each rule
// of the file becomes a recurring plan inviting every centre (the sites of role
// `site`), chaired by the Sở's leadership, with a default head count per site.
// Afterwards the database is the only source. A bad file stops the server with
// the field named.
import { readFile } from 'node:fs/promises';
import { ATTENDEE_LIMIT, type PlanInput } from '@noc/shared/meeting-plans';
import { parseSchedule, type Schedule } from '@noc/shared/schedule';
import type { Site } from '@noc/shared/sites';

/** Who chairs a seeded plan until someone edits it. */
export const SEED_CHAIR = 'Lãnh đạo Sở';
/** Attendees expected at each invited centre of a seeded plan (within the 40 of Điều 2.3). */
export const SEED_ATTENDEES = 20;

export async function loadSchedule(file: string): Promise<Schedule> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read the meeting schedule: ${(err as Error).message}`, { cause: err });
  }
  return parseSchedule(text, file);
}

/** The plans the file's rules become. */
export function seedPlans(schedule: Schedule, sites: readonly Site[]): PlanInput[] {
  const invited = sites.filter((s) => s.role === 'site').map((s) => s.id);
  const attendees = Object.fromEntries(invited.map((id) => [id, Math.min(SEED_ATTENDEES, ATTENDEE_LIMIT)]));
  return schedule.meetings.map((rule) => ({
    kind: rule.kind,
    title: rule.title,
    content: rule.note ?? '',
    chair: SEED_CHAIR,
    invitedSites: [...invited],
    attendees: { ...attendees },
    officialLetter: '',
    timing: {
      type: 'recurring',
      months: rule.months === 'every' ? 'every' : [...rule.months],
      days: [...rule.days],
      startTime: rule.start,
      durationMinutes: rule.durationMinutes,
    },
  }));
}
