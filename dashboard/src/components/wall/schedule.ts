// The regular meeting schedule (shared/data/schedule.json), validated when the
// wall loads. A bad file leaves the panel empty and says why in the console.
import scheduleFile from '@noc/shared/data/schedule.json';
import { parseSchedule, type Schedule } from '@noc/shared/schedule';

function load(): Schedule | null {
  try {
    return parseSchedule(scheduleFile, 'shared/data/schedule.json');
  } catch (err) {
    console.error(`[wall] the meeting schedule is unusable: ${(err as Error).message}`);
    return null;
  }
}

export const wallSchedule = load();
