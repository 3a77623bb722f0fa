// Wall-clock time in a time zone, both ways: what a zone's clock reads at a
// moment, and the moment a zone's clock reads a given time. The NOC keeps
// Vietnam's clock (Asia/Ho_Chi_Minh) whatever the machine is set to. Pure:
// runs in Node and the browser.

export const NOC_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** What the zone's clock reads at `at`. */
export function wallClock(timeZone: string, at: number): WallClock {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const c = { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
  return { ...c, weekday: new Date(Date.UTC(c.year, c.month - 1, c.day)).getUTCDay() };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(timeZone: string, at: number): number {
  const p = wallClock(timeZone, at);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The moment a wall-clock time in `timeZone` happens. */
export function zonedTime(timeZone: string, year: number, month: number, day: number, hour: number, minute: number, second = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const at = wall - offsetAt(timeZone, wall);
  return wall - offsetAt(timeZone, at); // once more, in case the offset changes in between
}
