// The meetings running on this SFU node.
import type { MeetingKind } from '@noc/shared/meeting';
import type { SfuNode } from '../sfu-node.ts';
import { SignallingFailure } from '../signalling/failure.ts';
import { Meeting, newMeetingId } from './meeting.ts';
import type { PolicyLog } from './policy-log.ts';

export class MeetingRegistry {
  #meetings = new Map<string, Meeting>();
  #node: SfuNode;
  #policy: PolicyLog;
  #siteIds: ReadonlySet<string>;
  #log: (msg: string) => void;

  constructor(node: SfuNode, policy: PolicyLog, siteIds: ReadonlySet<string>, log: (msg: string) => void) {
    this.#node = node;
    this.#policy = policy;
    this.#siteIds = siteIds;
    this.#log = log;
  }

  get policy(): PolicyLog {
    return this.#policy;
  }

  isSite(id: string): boolean {
    return this.#siteIds.has(id);
  }

  async create(data: { kind: MeetingKind; title: string; invitedSites: string[] }): Promise<Meeting> {
    data.invitedSites.forEach((site, i) => {
      if (!this.#siteIds.has(site)) throw new SignallingFailure('invalid-data', `unknown site "${site}"`, `invitedSites[${i}]`);
    });
    const id = newMeetingId();
    const router = await this.#node.createRouter({ meeting: id });
    const meeting = new Meeting({
      id,
      ...data,
      invitedSites: [...new Set(data.invitedSites)],
      router,
      policy: this.#policy,
      listenIp: this.#node.config.listenIp,
      announcedAddress: this.#node.config.announcedAddress,
      log: this.#log,
    });
    this.#meetings.set(id, meeting);
    router.observer.once('close', () => {
      meeting.close('the media router closed');
      this.#meetings.delete(id);
    });
    this.#log(`[meeting:${id}] created: ${data.kind} "${data.title}" for ${data.invitedSites.join(', ')}`);
    return meeting;
  }

  get(id: string): Meeting {
    const meeting = this.#meetings.get(id);
    if (!meeting || meeting.closed) throw new SignallingFailure('not-found', `no meeting ${id}`, 'meetingId');
    return meeting;
  }

  list(): Meeting[] {
    return [...this.#meetings.values()];
  }

  close(id: string, reason: string): void {
    this.get(id).close(reason);
    this.#meetings.delete(id);
  }

  closeAll(): void {
    for (const meeting of this.#meetings.values()) meeting.close('the SFU node is stopping');
    this.#meetings.clear();
  }
}
