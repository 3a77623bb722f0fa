// Meetings as the regulation names them (Điều 3) and the state every endpoint
// of a meeting sees: who is present, who has the floor, the speaking queue and
// the layout the control centre chose.

export const MEETING_KINDS = ['hop', 'hoi-nghi', 'giao-ban', 'tap-huan', 'sinh-hoat-chuyen-mon', 'du-gio', 'thi-giao-vien-gioi'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const LAYOUT_GRIDS = [1, 4, 9, 16] as const;
export type LayoutGrid = (typeof LAYOUT_GRIDS)[number];

export interface MeetingLayout {
  /** The site shown large; null lets endpoints choose. */
  featuredSite: string | null;
  grid: LayoutGrid;
  /** When the floor is granted, the featured site follows the speaker. */
  followSpeaker: boolean;
}

/**
 * The site whose camera an endpoint shows large: the layout's featured site,
 * else the site with the floor, else the first invited site other than the
 * endpoint's own (`self`; null for a seat or the control centre) that sends
 * a picture. The room page lays out its stage with it and the SFU gives that
 * camera its high simulcast layer, so both always agree.
 */
export function featuredCamera(
  state: Pick<MeetingState, 'layout' | 'floor' | 'invitedSites'>,
  self: string | null,
  sendsPicture: (site: string) => boolean,
): string | null {
  if (state.layout.featuredSite) return state.layout.featuredSite;
  if (state.floor) return state.floor;
  const others = state.invitedSites.filter((s) => s !== self);
  return others.find(sendsPicture) ?? others[0] ?? self;
}

export interface PresentSite {
  site: string;
  /** A site endpoint (the room's conference PC) is connected. */
  endpoint: boolean;
  seats: number;
}

export interface SpeakingRequest {
  site: string;
  /** When it was raised, ms since the epoch. */
  at: number;
  /** Who raised it: the site itself or a control-centre operator on its behalf. */
  by: 'site' | 'operator' | 'chair';
}

export interface MeetingState {
  id: string;
  kind: MeetingKind;
  title: string;
  invitedSites: string[];
  present: PresentSite[];
  floor: string | null;
  queue: SpeakingRequest[];
  layout: MeetingLayout;
  createdAt: number;
  /** A capacity test's meeting (made with a load-test token), not a real one. */
  loadTest: boolean;
  /** A readiness test call the day before a meeting (made with a readiness token), not a real meeting. */
  testCall?: boolean;
}

export const POLICY_EVENT_TYPES = ['mic-without-floor', 'uninvited-join', 'dial-outside-policy'] as const;
export type PolicyEventType = (typeof POLICY_EVENT_TYPES)[number];

/** A breach of the meeting rules the server refused; becomes an incident. */
export interface PolicyEvent {
  type: PolicyEventType;
  site: string;
  meeting: string | null;
  detail: string;
  at: number;
}

export interface ChatMessage {
  from: string;
  role: string;
  text: string;
  at: number;
}

export const SFU_NODES = ['main', 'backup'] as const;
export type SfuNodeName = (typeof SFU_NODES)[number];

/** What the two SFU nodes replicate to each other about a meeting: its state without who is connected where. */
export type MeetingRecord = Omit<MeetingState, 'present'> & {
  /** The node that carries the meeting now. */
  activeOn: SfuNodeName;
};

export const NODE_EVENT_TYPES = ['meeting-taken-over', 'meeting-moved'] as const;
export type NodeEventType = (typeof NODE_EVENT_TYPES)[number];

/** A meeting changing node: taken over by the backup when the main stops answering, or moved back by the control centre. */
export interface NodeEvent {
  type: NodeEventType;
  meeting: string;
  from: SfuNodeName;
  to: SfuNodeName;
  detail: string;
  at: number;
}
