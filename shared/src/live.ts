// Events of the live feed (`/api/live`, WebSocket), server to dashboard, and
// the messages a dashboard may send on it. The server checks every
// subscription against the signed-in user's role and site (auth.ts).
import { z } from 'zod';
import type { Fields, Measurement, Tags } from './metrics.ts';
import type { Site } from './sites.ts';
import type { HealthReport } from './health.ts';
import type { SessionUser } from './auth.ts';
import type { MeetingRecord } from './meeting.ts';
import type { Incident } from './incidents.ts';

export interface LiveSample {
  site: string;
  measurement: Measurement;
  tags: Tags;
  fields: Fields;
  time: number;
  /** When the gateway accepted the sample (ms since the epoch): the wall measures its drawing delay from here. */
  receivedAt: number;
}

/** The meetings the SFU nodes carry now, as the user may see them. */
export interface LiveMeetings {
  meetings: MeetingRecord[];
}

export type LiveEvent =
  /**
   * First event on a connection (then the current `health` and `meetings`): the sites this user may
   * see, and what it is subscribed to. Sent again, with the new `subscribed`, when a `subscribe` is accepted.
   */
  | { type: 'hello'; serverTime: number; user: SessionUser; sites: Site[]; subscribed: string[] }
  | { type: 'samples'; samples: LiveSample[] }
  | { type: 'health'; health: HealthReport }
  | ({ type: 'meetings' } & LiveMeetings)
  /** After hello: the incidents not resolved yet that the user may see, newest first. */
  | { type: 'incidents'; incidents: Incident[] }
  /** One incident changed (opened, acknowledged, commented, resolved …). */
  | { type: 'incident'; incident: Incident }
  /** A subscription the server refused (403 for another site's feed, 400 for a malformed message); the connection stays open. */
  | { type: 'refused'; status: 400 | 403; message: string };

export type LiveEventType = LiveEvent['type'];

/**
 * Client → server. Without a `subscribe`, a connection gets every site the
 * user may see; `subscribe` narrows it to the listed sites (all must be
 * allowed, otherwise nothing changes and a `refused` event says why).
 */
export const liveClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), sites: z.array(z.string().max(40)).min(1).max(100) }),
]);
export type LiveClientMessage = z.infer<typeof liveClientMessageSchema>;
