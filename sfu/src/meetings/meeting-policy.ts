// The regulation's rules for one meeting, enforced here rather than in any UI,
// with no media in sight: who is invited (a join without an invitation is
// refused and recorded), at most 40 seats per site (Điều 2.3, 4.3), one
// conference PC per site, the floor (Điều 9.2: a site's microphone opens only
// when the chair gives it the floor), the speaking queue and the layout the
// control centre keeps (Điều 9.1), the chat, and the dial policy (a site calls
// no other point). Members are anything with an id, a role and a site, so the
// rules can be checked with plain objects.
import type { AccessRole } from '@noc/shared/access-token';
import type {
  ChatMessage,
  MeetingKind,
  MeetingLayout,
  MeetingRecord,
  MeetingState,
  SfuNodeName,
  SpeakingRequest,
} from '@noc/shared/meeting';
import { MAX_SEATS_PER_SITE } from '@noc/shared/sites';
import { MeetingError } from './meeting-error.ts';
import type { PolicyLog } from './policy-log.ts';

const CHAT_KEEP = 200;

/** Someone in a meeting: a site's conference PC, a seat of a site, or the control centre. */
export interface Member {
  readonly id: string;
  readonly role: AccessRole;
  /** The site it acts for (site endpoints and seats). */
  readonly site: string | null;
  /** A display name (a person or a seat label). */
  readonly name?: string | undefined;
}

export const memberLabel = (m: Pick<Member, 'role' | 'site'>): string => (m.site ? `${m.role}:${m.site}` : m.role);

/** The control centre: operators of the Sở and the chair. */
export const CONTROL_CENTRE: readonly AccessRole[] = ['operator', 'chair'];

/** What a role may do to a meeting, and how a refusal names it. */
const WHO_MAY = {
  create: { roles: ['operator'], what: 'create a meeting' },
  end: { roles: ['operator'], what: 'end a meeting' },
  move: { roles: ['operator'], what: 'move a meeting to another node' },
  send: { roles: ['site'], what: 'send media' },
  'raise-for-site': { roles: CONTROL_CENTRE, what: 'raise a speaking request' },
  'give-floor': { roles: CONTROL_CENTRE, what: 'give the floor' },
  'take-floor': { roles: CONTROL_CENTRE, what: 'take the floor back' },
  dismiss: { roles: CONTROL_CENTRE, what: 'dismiss a speaking request' },
  layout: { roles: ['operator'], what: 'change the layout' },
  chat: { roles: ['site', 'operator', 'chair'], what: 'write in the chat' },
  invite: { roles: ['operator'], what: 'invite a site' },
  remove: { roles: ['operator'], what: 'remove a site' },
} as const satisfies Record<string, { roles: readonly AccessRole[]; what: string }>;
export type MeetingAction = keyof typeof WHO_MAY;

/** Refuses `action` to a role the regulation does not give it to. */
export function requireRole(role: AccessRole, action: MeetingAction): void {
  const rule = WHO_MAY[action];
  if (!(rule.roles as readonly AccessRole[]).includes(role)) throw new MeetingError('not-allowed', `a ${role} may not ${rule.what}`);
}

/**
 * A call to another point (Điều 9.2): a site or a seat may not call anyone,
 * which is a breach recorded for the incidents; the control centre brings a
 * site in by inviting it. Always refuses.
 */
export function refuseDial(log: PolicyLog, caller: Pick<Member, 'role' | 'site'>, target: string, meeting: string | null): never {
  if ((caller.role === 'site' || caller.role === 'seat') && caller.site) {
    log.record({
      type: 'dial-outside-policy',
      site: caller.site,
      meeting,
      detail: `${memberLabel(caller)} tried to call ${target} directly`,
    });
    throw new MeetingError('dial-refused', 'a site may not call another point; the control centre connects sites (Điều 9.2)');
  }
  throw new MeetingError('bad-request', 'the control centre brings a site in with site.invite');
}

/** A new meeting's layout: endpoints choose the featured site, a 2×2 grid, following the speaker. */
export const DEFAULT_LAYOUT: Readonly<MeetingLayout> = { featuredSite: null, grid: 4, followSpeaker: true };

export interface PolicyOptions {
  id: string;
  kind: MeetingKind;
  title: string;
  invitedSites: readonly string[];
  /** A capacity test's meeting (plain RTP transports allowed to load-test tokens). */
  loadTest?: boolean | undefined;
  /** A readiness test call (not a real meeting). */
  testCall?: boolean | undefined;
  /** Where refused breaches are recorded. */
  log: PolicyLog;
  /** Floor, queue and layout carried over from the other node. */
  carried?: Pick<MeetingRecord, 'floor' | 'queue' | 'layout' | 'createdAt'> | undefined;
  /** The clock (ms since the epoch). */
  now?: () => number;
}

export class MeetingPolicy<M extends Member = Member> {
  readonly id: string;
  readonly kind: MeetingKind;
  readonly title: string;
  readonly createdAt: number;
  readonly loadTest: boolean;
  readonly testCall: boolean;
  #invited: Set<string>;
  #members = new Map<string, M>();
  #floor: string | null = null;
  #queue: SpeakingRequest[] = [];
  #layout: MeetingLayout = { ...DEFAULT_LAYOUT };
  #chat: ChatMessage[] = [];
  #log: PolicyLog;
  #now: () => number;

  constructor(opts: PolicyOptions) {
    this.id = opts.id;
    this.kind = opts.kind;
    this.title = opts.title;
    this.loadTest = opts.loadTest ?? false;
    this.testCall = opts.testCall ?? false;
    this.#invited = new Set(opts.invitedSites);
    this.#log = opts.log;
    this.#now = opts.now ?? Date.now;
    this.createdAt = opts.carried?.createdAt ?? this.#now();
    if (opts.carried) {
      this.#floor = opts.carried.floor;
      this.#queue = [...opts.carried.queue];
      this.#layout = { ...opts.carried.layout };
    }
  }

  // ---- what the meeting is now ---------------------------------------------

  members(): M[] {
    return [...this.#members.values()];
  }

  isInvited(site: string): boolean {
    return this.#invited.has(site);
  }

  get floor(): string | null {
    return this.#floor;
  }

  get layout(): Readonly<MeetingLayout> {
    return this.#layout;
  }

  state(): MeetingState {
    const present = new Map<string, { endpoint: boolean; seats: number }>();
    for (const member of this.#members.values()) {
      if (!member.site) continue;
      const entry = present.get(member.site) ?? { endpoint: false, seats: 0 };
      if (member.role === 'site') entry.endpoint = true;
      if (member.role === 'seat') entry.seats++;
      present.set(member.site, entry);
    }
    return {
      id: this.id,
      kind: this.kind,
      title: this.title,
      invitedSites: [...this.#invited],
      present: [...present].map(([site, e]) => ({ site, ...e })),
      floor: this.#floor,
      queue: [...this.#queue],
      layout: { ...this.#layout },
      createdAt: this.createdAt,
      loadTest: this.loadTest,
      testCall: this.testCall,
    };
  }

  /** The state the other node needs to carry the meeting on. */
  record(activeOn: SfuNodeName): MeetingRecord {
    const { present: _present, ...rest } = this.state();
    return { ...rest, activeOn };
  }

  // ---- joining and leaving -------------------------------------------------

  /**
   * Lets a member in, or refuses it: a site or seat of a site not invited
   * (recorded as a breach), a seat beyond the site's 40. A site's new
   * conference PC replaces its earlier one, which is returned (already out).
   */
  admit(member: M): M[] {
    const site = member.site;
    if ((member.role === 'site' || member.role === 'seat') && site && !this.#invited.has(site)) {
      this.#log.record({
        type: 'uninvited-join',
        site,
        meeting: this.id,
        detail: `${memberLabel(member)} tried to join meeting ${this.id} without an invitation`,
      });
      throw new MeetingError('not-invited', `site ${site} is not invited to meeting ${this.id}`);
    }
    if (member.role === 'seat' && site) {
      const seats = this.members().filter((m) => m.role === 'seat' && m.site === site).length;
      if (seats >= MAX_SEATS_PER_SITE) {
        throw new MeetingError(
          'seat-limit',
          `site ${site} already has ${MAX_SEATS_PER_SITE} seats in this meeting, the most a point may have (Điều 4.3)`,
        );
      }
    }
    // One conference PC per site: a new connection replaces the old one (a reconnect).
    const replaced = member.role === 'site' ? this.members().filter((m) => m.role === 'site' && m.site === site) : [];
    for (const old of replaced) this.#members.delete(old.id);
    this.#members.set(member.id, member);
    return replaced;
  }

  /** Takes a member out; false when it was not in. */
  depart(member: M): boolean {
    return this.#members.delete(member.id);
  }

  // ---- media rules -----------------------------------------------------------

  /**
   * Plain RTP transports are for capacity tests only: a load-test token
   * (`loadTest` claim) in a load-test meeting.
   */
  requirePlainTransport(loadTestToken: boolean): void {
    if (!loadTestToken) throw new MeetingError('not-allowed', 'plain RTP transports need a load-test token (the loadTest claim)');
    if (!this.loadTest)
      throw new MeetingError('not-allowed', `meeting ${this.id} is not a load test; plain RTP transports are refused in it`);
  }

  /** Only a site's conference PC sends media; seats and the control centre only receive. */
  requireSender(member: Member): void {
    if (member.role !== 'site') throw new MeetingError('not-allowed', `a ${member.role} connection only receives; it cannot send media`);
  }

  /** Whether a site's microphone may be open now: only with the floor. */
  micMayOpen(site: string | null): boolean {
    return site !== null && this.#floor === site;
  }

  /** Refuses (and records) a microphone opened without the floor. */
  requireFloorToOpenMic(member: Member): void {
    if (this.micMayOpen(member.site)) return;
    this.#log.record({
      type: 'mic-without-floor',
      site: member.site ?? member.role,
      meeting: this.id,
      detail: `${memberLabel(member)} tried to open its microphone without the floor`,
    });
    throw new MeetingError('floor-required', 'the microphone opens only when the chair gives this site the floor');
  }

  // ---- floor and speaking queue --------------------------------------------

  #requireInvited(site: string): void {
    if (!this.#invited.has(site)) throw new MeetingError('not-in-meeting', `site ${site} is not in this meeting`, 'site');
  }

  queue(): SpeakingRequest[] {
    return [...this.#queue];
  }

  /**
   * A speaking request: a site raises it for itself, the control centre for
   * any invited site. Returns whether the queue changed (a site already queued
   * or holding the floor is not queued again).
   */
  requestFloor(by: Member, site: string | undefined): boolean {
    let target: string;
    let raisedBy: SpeakingRequest['by'];
    if (by.role === 'site') {
      if (site && site !== by.site) throw new MeetingError('not-allowed', 'a site raises speaking requests only for itself', 'site');
      target = by.site!;
      raisedBy = 'site';
    } else {
      requireRole(by.role, 'raise-for-site');
      if (!site) throw new MeetingError('bad-request', 'name the site the request is for', 'site');
      target = site;
      raisedBy = by.role === 'chair' ? 'chair' : 'operator';
    }
    this.#requireInvited(target);
    if (this.#floor === target || this.#queue.some((r) => r.site === target)) return false;
    this.#queue.push({ site: target, at: this.#now(), by: raisedBy });
    return true;
  }

  /** Gives a site the floor (its request leaves the queue); returns who held it before. */
  grantFloor(by: AccessRole, site: string): string | null {
    requireRole(by, 'give-floor');
    this.#requireInvited(site);
    const previous = this.#floor;
    this.#floor = site;
    this.#queue = this.#queue.filter((r) => r.site !== site);
    if (this.#layout.followSpeaker) this.#layout.featuredSite = site;
    return previous;
  }

  /** Takes the floor back; returns who held it (null: nobody did). */
  revokeFloor(by: AccessRole): string | null {
    requireRole(by, 'take-floor');
    const holder = this.#floor;
    this.#floor = null;
    return holder;
  }

  /** Drops a site's speaking request; returns whether there was one. */
  dismiss(by: AccessRole, site: string): boolean {
    requireRole(by, 'dismiss');
    const before = this.#queue.length;
    this.#queue = this.#queue.filter((r) => r.site !== site);
    return this.#queue.length !== before;
  }

  // ---- layout, chat, invitations ---------------------------------------------

  setLayout(by: AccessRole, change: Partial<MeetingLayout>): MeetingLayout {
    requireRole(by, 'layout');
    if (change.featuredSite) this.#requireInvited(change.featuredSite);
    if (change.featuredSite !== undefined) this.#layout.featuredSite = change.featuredSite;
    if (change.grid !== undefined) this.#layout.grid = change.grid;
    if (change.followSpeaker !== undefined) this.#layout.followSpeaker = change.followSpeaker;
    return { ...this.#layout };
  }

  /** A chat message from a member, kept (the latest 200) for those who join later. */
  chat(by: Member, text: string): ChatMessage {
    requireRole(by.role, 'chat');
    if (text.trim() === '') throw new MeetingError('bad-request', 'a chat message needs some text', 'text');
    const message: ChatMessage = { from: by.name ?? by.site ?? by.role, role: by.role, text, at: this.#now() };
    this.#chat.push(message);
    if (this.#chat.length > CHAT_KEEP) this.#chat.shift();
    return message;
  }

  chatHistory(): ChatMessage[] {
    return [...this.#chat];
  }

  /** Adds a site to the invitation list; returns whether it was not on it. */
  invite(by: AccessRole, site: string): boolean {
    requireRole(by, 'invite');
    if (this.#invited.has(site)) return false;
    this.#invited.add(site);
    return true;
  }

  /** Takes a site off the meeting (its request, floor and featured place too); returns its members, now out. */
  remove(by: AccessRole, site: string): M[] {
    requireRole(by, 'remove');
    this.#requireInvited(site);
    this.#invited.delete(site);
    this.#queue = this.#queue.filter((r) => r.site !== site);
    if (this.#floor === site) this.#floor = null;
    if (this.#layout.featuredSite === site) this.#layout.featuredSite = null;
    const out = this.members().filter((m) => m.site === site);
    for (const member of out) this.#members.delete(member.id);
    return out;
  }
}
