// A simulation scenario: the meetings of the day and the faults to inject, by
// site and time. Times are relative to the start of the run ("+90s", "+2m",
// "+1h") so one file replays the same way any day.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatPath } from '@noc/shared/format-path';
import { MEETING_KINDS } from '@noc/shared/meeting';

const offset = z
  .string()
  .regex(/^\+\d+(\.\d+)?(s|m|h)$/, 'must be an offset like "+90s", "+2m" or "+1h"')
  .transform((s) => {
    const n = Number(s.slice(1, -1));
    const unit = s.at(-1);
    return n * (unit === 'h' ? 3600_000 : unit === 'm' ? 60_000 : 1000);
  });
const seconds = z
  .number()
  .positive()
  .max(7 * 24 * 3600);
const site = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a site id');

export const FAULTS = ['link-degradation', 'link-cut', 'power-cut', 'ups-driver-loss', 'room-hot', 'probe-restart'] as const;
export type FaultName = (typeof FAULTS)[number];

/** What each fault is, without when: the scenario adds `at` and `durationS`, the control endpoint starts it now. */
const faultBodies = {
  'link-degradation': z.strictObject({
    fault: z.literal('link-degradation'),
    site,
    lossPct: z.number().min(0).max(100).default(4),
    rttMs: z.number().min(0).max(10_000).default(250),
    jitterMs: z.number().min(0).max(1000).default(40),
  }),
  'link-cut': z.strictObject({ fault: z.literal('link-cut'), site }),
  /** Mains lost: the UPS runs on battery and drains over `drainMinutes` (Điều 6: stable power). */
  'power-cut': z.strictObject({ fault: z.literal('power-cut'), site, drainMinutes: z.number().positive().max(600).default(30) }),
  'ups-driver-loss': z.strictObject({ fault: z.literal('ups-driver-loss'), site }),
  'room-hot': z.strictObject({
    fault: z.literal('room-hot'),
    site,
    tempC: z.number().min(-50).max(100).default(37),
    humidityPct: z.number().min(0).max(100).default(85),
  }),
} as const;

const scheduled = { at: offset, durationS: seconds };
const faultSchema = z.discriminatedUnion('fault', [
  faultBodies['link-degradation'].extend(scheduled),
  faultBodies['link-cut'].extend(scheduled),
  faultBodies['power-cut'].extend(scheduled),
  faultBodies['ups-driver-loss'].extend(scheduled),
  faultBodies['room-hot'].extend(scheduled),
  z.strictObject({ fault: z.literal('probe-restart'), site, at: offset }),
]);
export type Fault = z.infer<typeof faultSchema>;

/**
 * A fault injected at run time (`POST /faults` of the control endpoint): the
 * scenario's fault without `at`, starting now. Without `durationS` it holds
 * until it is ended (`DELETE /faults/:id`); a probe restart happens at once.
 */
const until = { durationS: seconds.optional() };
export const injectedFaultSchema = z.discriminatedUnion('fault', [
  faultBodies['link-degradation'].extend(until),
  faultBodies['link-cut'].extend(until),
  faultBodies['power-cut'].extend(until),
  faultBodies['ups-driver-loss'].extend(until),
  faultBodies['room-hot'].extend(until),
  z.strictObject({ fault: z.literal('probe-restart'), site }),
]);
export type InjectedFault = z.infer<typeof injectedFaultSchema>;

const meetingSchema = z.strictObject({
  kind: z.enum(MEETING_KINDS),
  title: z.string().min(1).max(200),
  at: offset,
  durationMin: z
    .number()
    .positive()
    .max(24 * 60),
  /** "all", or the invited site ids. */
  sites: z.union([z.literal('all'), z.array(site).min(1)]),
});
export type ScheduledMeeting = z.infer<typeof meetingSchema>;

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).max(120),
  meetings: z.array(meetingSchema).max(100).default([]),
  /**
   * Sites whose room page stays open all the run, sending media outside
   * meetings too ("all" or site ids); other sites send media only in a meeting.
   */
  roomsOpen: z.union([z.literal('all'), z.array(site).max(100)]).default([]),
  faults: z.array(faultSchema).max(1000).default([]),
});
export type Scenario = z.infer<typeof scenarioSchema>;

/** No meetings, no faults: every site healthy (`SIM_SCENARIO=none`). */
export const NO_SCENARIO: Scenario = { name: 'none', meetings: [], roomsOpen: [], faults: [] };

export class ScenarioError extends Error {
  constructor(file: string, field: string, detail: string) {
    super(`${file}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'ScenarioError';
  }
}

/** Parses scenario text; `siteIds` are the sites of the registry the faults may name. */
export function parseScenario(text: string, file: string, siteIds: ReadonlySet<string>): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(file, '', `invalid JSON: ${(err as Error).message}`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ScenarioError(file, formatPath(issue.path), issue.message);
  }
  const scenario = parsed.data;
  scenario.faults.forEach((f, i) => {
    if (!siteIds.has(f.site)) throw new ScenarioError(file, `faults[${i}].site`, `unknown site "${f.site}"`);
  });
  if (scenario.roomsOpen !== 'all') {
    scenario.roomsOpen.forEach((s, i) => {
      if (!siteIds.has(s)) throw new ScenarioError(file, `roomsOpen[${i}]`, `unknown site "${s}"`);
    });
  }
  scenario.meetings.forEach((m, i) => {
    if (m.sites === 'all') return;
    m.sites.forEach((s, j) => {
      if (!siteIds.has(s)) throw new ScenarioError(file, `meetings[${i}].sites[${j}]`, `unknown site "${s}"`);
    });
  });
  return scenario;
}

export async function loadScenario(file: string, siteIds: ReadonlySet<string>): Promise<Scenario> {
  return parseScenario(await readFile(file, 'utf8'), file, siteIds);
}
