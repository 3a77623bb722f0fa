// The meetings the SFU nodes carry: `GET <node>/meetings` of the main and the
// backup node (@noc/shared/sfu-status-api, the answer checked against its schema), polled about every second; a change is handed to `onChange`
// (the live feed's `meetings` event). A node that does not answer carries
// nothing; a meeting both list (a hand-over in progress) is counted once.
import type { SessionUser } from '@noc/shared/auth';
import type { MeetingRecord } from '@noc/shared/meeting';
import { readSfuStatus } from '@noc/shared/sfu-status-api';

export interface MeetingsWatchOptions {
  sfuUrl: string;
  sfuBackupUrl: string | null;
  /** The NOC's token for the SFU nodes' status endpoints. */
  sfuToken: string;
  onChange: (meetings: MeetingRecord[]) => void;
  intervalMs?: number;
}

/** The meetings a user may see: a technician only those its site is invited to. */
export function visibleMeetings(user: Pick<SessionUser, 'role' | 'site'>, meetings: MeetingRecord[]): MeetingRecord[] {
  if (user.role !== 'technician') return meetings;
  return meetings.filter((m) => user.site !== null && m.invitedSites.includes(user.site));
}

async function carriedBy(base: string, token: string): Promise<MeetingRecord[]> {
  try {
    return (await readSfuStatus(base, 'meetings', 900, token)).carried;
  } catch {
    return [];
  }
}

export class MeetingsWatch {
  #opts: MeetingsWatchOptions;
  #meetings: MeetingRecord[] = [];
  #last = '[]';
  #timer: NodeJS.Timeout | null = null;
  /** The poll under way, if any. */
  #running: Promise<void> | null = null;

  constructor(opts: MeetingsWatchOptions) {
    this.#opts = opts;
  }

  get meetings(): MeetingRecord[] {
    return this.#meetings;
  }

  start(): void {
    void this.poll();
    this.#timer = setInterval(() => void this.poll(), this.#opts.intervalMs ?? 1000);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /**
   * The meeting `id` as the nodes carry it: from the last list, or, when it is
   * not there, from a poll made now (a meeting opened since the last poll).
   */
  async find(id: string): Promise<MeetingRecord | null> {
    const known = this.#meetings.find((m) => m.id === id);
    if (known) return known;
    // A poll under way may have asked before the meeting was opened: wait for it, then ask again.
    if (this.#running) await this.#running;
    await this.poll();
    return this.#meetings.find((m) => m.id === id) ?? null;
  }

  /** Reads both nodes once; a call while a poll is under way waits for that one. */
  poll(): Promise<void> {
    this.#running ??= this.#poll().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #poll(): Promise<void> {
    const { sfuUrl, sfuBackupUrl, sfuToken } = this.#opts;
    const lists = await Promise.all([carriedBy(sfuUrl, sfuToken), sfuBackupUrl ? carriedBy(sfuBackupUrl, sfuToken) : Promise.resolve([])]);
    const byId = new Map<string, MeetingRecord>();
    for (const m of lists.flat()) if (!byId.has(m.id)) byId.set(m.id, m);
    const meetings = [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    const text = JSON.stringify(meetings);
    if (text === this.#last || this.#timer === null) return;
    this.#last = text;
    this.#meetings = meetings;
    this.#opts.onChange(meetings);
  }
}
