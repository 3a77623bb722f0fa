// The meeting signalling protocol: every request method with the schema of its
// data and the type of its answer, and every notification. The SFU validates
// with these schemas; clients (the room and control pages, the simulator, tests) use the types.
import { z } from 'zod';
import type { ChatMessage, MeetingState, NodeEvent, PolicyEvent } from './meeting.ts';
import { LAYOUT_GRIDS, MEETING_KINDS } from './meeting.ts';

const id = z.string().min(1).max(64);
const siteId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a site id')
  .max(40);
/** mediasoup checks these parameter objects itself; here only their outer shape. */
const mediasoupObject = z.record(z.string(), z.unknown());

/** Receive capabilities as mediasoup-client's `device.rtpCapabilities` gives them. */
const rtpCapabilitiesSchema = z.looseObject({
  codecs: z
    .array(
      z.looseObject({
        kind: z.enum(['audio', 'video']),
        mimeType: z.string().max(64),
        clockRate: z.number().int().positive(),
        preferredPayloadType: z.number().int().min(0).max(127).optional(),
        channels: z.number().int().min(1).max(8).optional(),
      }),
    )
    .max(64),
  headerExtensions: z
    .array(z.looseObject({ uri: z.string().max(256) }))
    .max(64)
    .optional(),
});

export const SRTP_CRYPTO_SUITES = ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] as const;
const srtpParametersSchema = z.strictObject({
  cryptoSuite: z.enum(SRTP_CRYPTO_SUITES),
  keyBase64: z.string().min(1).max(128),
});
export type SrtpParameters = z.infer<typeof srtpParametersSchema>;

export const MEDIA_SOURCES = ['camera', 'mic', 'screen'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];

export const requestSchemas = {
  'meeting.create': z.strictObject({
    kind: z.enum(MEETING_KINDS),
    title: z.string().trim().min(1).max(200),
    invitedSites: z.array(siteId).min(1).max(64),
    /** A capacity test's meeting: only a token with the `loadTest` claim may make one. */
    loadTest: z.boolean().optional(),
    /** A readiness test call: only a token with the `testCall` claim may make one. */
    testCall: z.boolean().optional(),
  }),
  /** Meetings this connection may join (a site: those it is invited to). */
  'meeting.list': z.strictObject({}),
  /** The router's capabilities, to load a mediasoup-client Device before joining. */
  'meeting.capabilities': z.strictObject({ meetingId: id }),
  'meeting.join': z.strictObject({
    meetingId: id,
    /** The endpoint's receive capabilities (mediasoup-client `device.rtpCapabilities`). */
    rtpCapabilities: rtpCapabilitiesSchema,
  }),
  'meeting.close': z.strictObject({ meetingId: id }),
  /** Moves a running meeting to the other SFU node (the control centre's decision, never automatic). */
  'meeting.move': z.strictObject({ meetingId: id, to: z.enum(['main', 'backup']) }),
  'transport.create': z.strictObject({ direction: z.enum(['send', 'recv']) }),
  'transport.connect': z.strictObject({ transportId: id, dtlsParameters: mediasoupObject }),
  produce: z.strictObject({
    transportId: id,
    kind: z.enum(['audio', 'video']),
    rtpParameters: mediasoupObject,
    source: z.enum(MEDIA_SOURCES),
  }),
  'producer.pause': z.strictObject({ producerId: id }),
  'producer.resume': z.strictObject({ producerId: id }),
  /** Stops sending one stream (e.g. the content a site presented). */
  'producer.close': z.strictObject({ producerId: id }),
  /**
   * A plain RTP transport (load tests only: a `loadTest` token in a `loadTest`
   * meeting). Send: comedia, the publisher sends RTP to ip:port. Recv: SRTP
   * unless `srtp` is false, sent where `plain.connect` says.
   */
  'plain.create': z.strictObject({ direction: z.enum(['send', 'recv']), srtp: z.boolean().optional() }),
  /** Where a plain receive transport sends its RTP (with the key the receiver decrypts with, for SRTP). */
  'plain.connect': z.strictObject({
    transportId: id,
    ip: z.union([z.ipv4(), z.ipv6()]),
    port: z.number().int().min(1).max(65535),
    srtpParameters: srtpParametersSchema.optional(),
  }),
  consume: z.strictObject({ producerId: id, transportId: id }),
  'consumer.resume': z.strictObject({ consumerId: id }),
  /** Stops receiving one stream (a receiver that follows the featured site lets the previous one go). */
  'consumer.close': z.strictObject({ consumerId: id }),
  'floor.request': z.strictObject({ site: siteId.optional() }),
  'floor.grant': z.strictObject({ site: siteId }),
  'floor.revoke': z.strictObject({}),
  'floor.dismiss': z.strictObject({ site: siteId }),
  'layout.set': z.strictObject({
    featuredSite: siteId.nullable().optional(),
    grid: z
      .union(LAYOUT_GRIDS.map((g) => z.literal(g)) as [z.ZodLiteral<1>, z.ZodLiteral<4>, z.ZodLiteral<9>, z.ZodLiteral<16>])
      .optional(),
    followSpeaker: z.boolean().optional(),
  }),
  'chat.send': z.strictObject({ text: z.string().trim().min(1).max(1000) }),
  'site.invite': z.strictObject({ site: siteId }),
  'site.remove': z.strictObject({ site: siteId }),
  /** A site endpoint asking to call another point directly (Điều 9.2 forbids it). */
  'site.dial': z.strictObject({ site: siteId }),
} as const;

export type RequestMethod = keyof typeof requestSchemas;
export const REQUEST_METHODS = Object.keys(requestSchemas) as RequestMethod[];
export type RequestData<M extends RequestMethod> = z.infer<(typeof requestSchemas)[M]>;

export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
}

/** A plain RTP transport as `plain.create` answers it. */
export interface PlainTransportInfo {
  transportId: string;
  /** Where the SFU receives (send) or sends from (recv). */
  ip: string;
  port: number;
  /** The SFU's own SRTP key (it encrypts with it); null without SRTP. */
  srtpParameters: SrtpParameters | null;
}

export interface MeetingSummary {
  id: string;
  kind: MeetingState['kind'];
  title: string;
  invitedSites: string[];
  createdAt: number;
  /** A readiness test call (shown only when it is one). */
  testCall?: boolean;
}

export interface ProducerInfo {
  producerId: string;
  site: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  paused: boolean;
}

/** The answer to each request. */
export interface ResponseData {
  'meeting.create': { meetingId: string; state: MeetingState };
  'meeting.list': { meetings: MeetingSummary[] };
  'meeting.capabilities': { routerRtpCapabilities: unknown };
  'meeting.join': {
    peerId: string;
    state: MeetingState;
    routerRtpCapabilities: unknown;
    producers: ProducerInfo[];
    chat: ChatMessage[];
  };
  'meeting.close': Record<string, never>;
  'meeting.move': Record<string, never>;
  'transport.create': TransportInfo;
  'transport.connect': Record<string, never>;
  produce: { producerId: string; paused: boolean };
  'producer.pause': Record<string, never>;
  'producer.resume': Record<string, never>;
  'producer.close': Record<string, never>;
  'plain.create': PlainTransportInfo;
  'plain.connect': Record<string, never>;
  consume: { consumerId: string; producerId: string; kind: 'audio' | 'video'; rtpParameters: unknown; site: string; source: MediaSource };
  'consumer.resume': Record<string, never>;
  'consumer.close': Record<string, never>;
  'floor.request': { queue: MeetingState['queue'] };
  'floor.grant': Record<string, never>;
  'floor.revoke': Record<string, never>;
  'floor.dismiss': Record<string, never>;
  'layout.set': { layout: MeetingState['layout'] };
  'chat.send': Record<string, never>;
  'site.invite': Record<string, never>;
  'site.remove': Record<string, never>;
  'site.dial': never;
}

/** Pushed by the SFU without a request. */
export interface NotificationData {
  'meeting.state': MeetingState;
  'meeting.closed': { meetingId: string; reason: string };
  /** Continue this meeting on the named node: reconnect there and join again. */
  'meeting.moved': { meetingId: string; node: 'main' | 'backup' };
  'node.event': NodeEvent;
  'producer.new': ProducerInfo;
  'producer.paused': { producerId: string; paused: boolean };
  'producer.closed': { producerId: string };
  'consumer.closed': { consumerId: string };
  'chat.message': ChatMessage;
  'policy.event': PolicyEvent;
  /** This connection was removed from the meeting (removed by the control centre, or replaced). */
  'peer.removed': { cause: 'replaced' | 'removed'; reason: string };
}
export type NotificationMethod = keyof NotificationData;
