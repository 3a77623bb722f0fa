// The days of a weekly maintenance window: 0 = Sunday … 6 = Saturday, as the
// server counts them, and the key of each day's name.
export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;
const KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** `maintenance.weekday.<key>` of a day. */
export const weekdayKey = (day: number): string => `maintenance.weekday.${KEYS[day] ?? 'sun'}`;
