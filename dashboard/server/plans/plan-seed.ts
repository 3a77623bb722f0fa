// Reads the regular meetings (shared/data/schedule.json or NOC_SCHEDULE_FILE);
// a bad file stops the server with the field named.
import { readFile } from 'node:fs/promises';
import { parseSchedule, type Schedule } from '@noc/shared/schedule';

export async function loadSchedule(file: string): Promise<Schedule> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read the meeting schedule: ${(err as Error).message}`, { cause: err });
  }
  return parseSchedule(text, file);
}
