// Maintenance windows: when a site (or the whole network) is being worked on,
// alarms are recorded but not notified. A window is one stretch of time, or a
// weekly one given in local wall-clock time (Asia/Ho_Chi_Minh by default) that
// may run past midnight. Pure: the server decides with it, the pages show it.
import type { MaintenanceInput } from './incidents.ts';
import { NOC_TIME_ZONE, wallClock } from './zoned-time.ts';

export const DEFAULT_TIME_ZONE = NOC_TIME_ZONE;
const DAY_MINUTES = 24 * 60;

/** The weekday (0 = Sunday) and the minute of the day of `at` in `timeZone`. */
export function localClock(at: number, timeZone = DEFAULT_TIME_ZONE): { weekday: number; minute: number } {
  const c = wallClock(timeZone, at);
  return { weekday: c.weekday, minute: c.hour * 60 + c.minute };
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Does the window cover the moment `at` (whatever site it is for)? */
export function windowActiveAt(w: MaintenanceInput, at: number, timeZone = DEFAULT_TIME_ZONE): boolean {
  if (w.weekly) {
    const { weekday, minute } = localClock(at, timeZone);
    const start = minutesOf(w.weekly.start);
    const end = start + w.weekly.durationMinutes;
    // Begun today, or begun yesterday and still running past midnight.
    if (w.weekly.days.includes(weekday) && minute >= start && minute < end) return true;
    return w.weekly.days.includes((weekday + 6) % 7) && minute + DAY_MINUTES < end;
  }
  return w.startsAt !== undefined && w.endsAt !== undefined && at >= w.startsAt && at < w.endsAt;
}

/** Does the window silence this site at `at`? (A window without a site covers every site.) */
export function windowCovers(w: MaintenanceInput, site: string, at: number, timeZone = DEFAULT_TIME_ZONE): boolean {
  return (w.site === null || w.site === site) && windowActiveAt(w, at, timeZone);
}

/** The first window silencing `site` at `at`, if any. */
export function coveringWindow<W extends MaintenanceInput>(
  windows: readonly W[],
  site: string,
  at: number,
  timeZone = DEFAULT_TIME_ZONE,
): W | null {
  return windows.find((w) => windowCovers(w, site, at, timeZone)) ?? null;
}

/** A one-off window that is over can be tidied away; a weekly one never ends. */
export const windowOver = (w: MaintenanceInput, now: number): boolean => !w.weekly && w.endsAt !== undefined && w.endsAt <= now;
