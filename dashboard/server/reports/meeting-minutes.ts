// What the 1-minute means say of each site during meetings: the minutes its
// link towards the SFU answered and its UPS ran on mains (availability), and
// the minutes its room page received the meeting's picture (attendance). One
// store read per figure for all the windows of a report (store.minutes).
import type { Availability } from '@noc/shared/reports';
import type { MinuteTally, MinutesByWindow, SampleStore } from '../store/store.ts';

export interface Window {
  from: number;
  to: number;
}

/** Per window, per site: the three figures; availabilities as tallies, so windows add up exactly. */
export interface SiteMinutes {
  link: MinuteTally;
  power: MinuteTally;
  /** Minutes with the meeting's video received at the site. */
  attendedMinutes: number;
}

export type MinutesPerWindow = Map<string, SiteMinutes>[];

/** Availability from a tally: the mean of the minutes' means, in percent (one decimal). */
export function availabilityOf(tally: { sum: number; minutes: number } | undefined): Availability {
  if (!tally || tally.minutes === 0) return { pct: null, minutes: 0 };
  return { pct: Math.round((1000 * tally.sum) / tally.minutes) / 10, minutes: tally.minutes };
}

/** Two windows' tallies as one. */
export const addTally = (a: MinuteTally, b: MinuteTally): MinuteTally => ({ sum: a.sum + b.sum, minutes: a.minutes + b.minutes });
export const NO_MINUTES: MinuteTally = { sum: 0, minutes: 0 };

export async function readMeetingMinutes(store: SampleStore, windows: readonly Window[]): Promise<MinutesPerWindow> {
  if (windows.length === 0) return [];
  const [link, power, media]: [MinutesByWindow, MinutesByWindow, MinutesByWindow] = await Promise.all([
    store.minutes({ measurement: 'link', field: 'reachable', tags: { target: 'sfu' }, windows }),
    store.minutes({ measurement: 'power', field: 'on_mains', windows }),
    store.minutes({ measurement: 'media', field: 'bitrate_kbps', tags: { kind: 'video', direction: 'recv' }, windows }),
  ]);
  return windows.map((_, i) => {
    const sites = new Set([...Object.keys(link[i]!), ...Object.keys(power[i]!), ...Object.keys(media[i]!)]);
    const out = new Map<string, SiteMinutes>();
    for (const site of sites) {
      out.set(site, {
        link: link[i]![site] ?? NO_MINUTES,
        power: power[i]![site] ?? NO_MINUTES,
        attendedMinutes: media[i]![site]?.minutes ?? 0,
      });
    }
    return out;
  });
}
