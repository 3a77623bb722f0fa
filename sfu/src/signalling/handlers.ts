// What each signalling method does, and who may call it. One handler per
// method, typed by the shared protocol.
import type { types } from 'mediasoup';
import type { AccessRole } from '@noc/shared/access-token';
import type { RequestData, RequestMethod, ResponseData } from '@noc/shared/meeting-protocol';
import type { Meeting } from '../meetings/meeting.ts';
import { refuseDial, requireRole, type MeetingAction } from '../meetings/meeting-policy.ts';
import type { MeetingRegistry } from '../meetings/meeting-registry.ts';
import { SignallingFailure } from './failure.ts';
import type { Connection } from './connection.ts';

export interface HandlerContext {
  connection: Connection;
  meetings: MeetingRegistry;
}

type Handler<M extends RequestMethod> = (ctx: HandlerContext, data: RequestData<M>) => Promise<ResponseData[M]> | ResponseData[M];

/** Refuses the method at once to a role the meeting's rules do not let do it. */
function allow(ctx: HandlerContext, action: MeetingAction): void {
  requireRole(ctx.connection.claims.role, action);
}

const roleOf = (ctx: HandlerContext): AccessRole => ctx.connection.claims.role;

function joined(ctx: HandlerContext): { meeting: Meeting; peer: NonNullable<Connection['peer']> } {
  const { meeting, peer } = ctx.connection;
  if (!meeting || !peer || meeting.closed) throw new SignallingFailure('conflict', 'join a meeting first (meeting.join)');
  return { meeting, peer };
}

const empty = {} as Record<string, never>;

export const handlers: { [M in RequestMethod]: Handler<M> } = {
  async 'meeting.create'(ctx, data) {
    allow(ctx, 'create');
    if (data.loadTest && ctx.connection.claims.loadTest !== true) {
      throw new SignallingFailure('unauthorised', 'only a load-test token (the loadTest claim) may create a load-test meeting', 'loadTest');
    }
    if (data.testCall && ctx.connection.claims.testCall !== true) {
      throw new SignallingFailure('unauthorised', 'only a readiness token (the testCall claim) may create a test call', 'testCall');
    }
    const meeting = await ctx.meetings.create(data);
    return { meetingId: meeting.id, state: meeting.state() };
  },

  'meeting.list'(ctx) {
    const { claims } = ctx.connection;
    const visible = ctx.meetings
      .summaries()
      .filter((m) => !claims.meeting || m.id === claims.meeting)
      .filter((m) => !claims.site || claims.role === 'chair' || m.invitedSites.includes(claims.site));
    return { meetings: visible.map(({ activeOn: _activeOn, ...m }) => m) };
  },

  async 'meeting.capabilities'(ctx, data) {
    const { claims } = ctx.connection;
    if (claims.meeting && claims.meeting !== data.meetingId) {
      throw new SignallingFailure('unauthorised', `this token is for meeting ${claims.meeting}`, 'meetingId');
    }
    const meeting = await ctx.meetings.get(data.meetingId);
    return { routerRtpCapabilities: meeting.router.rtpCapabilities };
  },

  async 'meeting.join'(ctx, data) {
    const { claims } = ctx.connection;
    if (ctx.connection.meeting) throw new SignallingFailure('conflict', 'this connection is already in a meeting');
    if (claims.meeting && claims.meeting !== data.meetingId) {
      if (claims.site) {
        ctx.meetings.policy.record({
          type: 'uninvited-join',
          site: claims.site,
          meeting: data.meetingId,
          detail: `${claims.role}:${claims.site} holds a token for meeting ${claims.meeting} and tried to join ${data.meetingId}`,
        });
      }
      throw new SignallingFailure('unauthorised', `this token is for meeting ${claims.meeting}, not ${data.meetingId}`, 'meetingId');
    }
    const meeting = await ctx.meetings.get(data.meetingId);
    const peer = ctx.connection.enter(meeting);
    try {
      meeting.join(peer, data.rtpCapabilities as types.RtpCapabilities);
    } catch (err) {
      ctx.connection.leave();
      throw err;
    }
    return {
      peerId: peer.id,
      state: meeting.state(),
      routerRtpCapabilities: meeting.router.rtpCapabilities,
      producers: meeting.producers().filter((p) => !peer.producers.has(p.producerId)),
      chat: meeting.chatHistory(),
    };
  },

  'meeting.close'(ctx, data) {
    allow(ctx, 'end');
    ctx.meetings.close(data.meetingId, 'ended by the control centre');
    return empty;
  },

  async 'meeting.move'(ctx, data) {
    allow(ctx, 'move');
    await ctx.meetings.move(data.meetingId, data.to);
    return empty;
  },

  'transport.create'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    return meeting.createTransport(peer, data.direction);
  },

  async 'transport.connect'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    await meeting.connectTransport(peer, data.transportId, data.dtlsParameters);
    return empty;
  },

  'plain.create'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    // Receivers encrypt by default, as WebRTC does; publishers send plain RTP.
    return meeting.createPlainTransport(peer, data.direction, data.srtp ?? data.direction === 'recv');
  },

  async 'plain.connect'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    await meeting.connectPlainTransport(peer, data);
    return empty;
  },

  produce(ctx, data) {
    allow(ctx, 'send');
    const { meeting, peer } = joined(ctx);
    return meeting.produce(peer, data);
  },

  async 'producer.pause'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    await meeting.pauseProducer(peer, data.producerId);
    return empty;
  },

  async 'producer.resume'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    await meeting.resumeProducer(peer, data.producerId);
    return empty;
  },

  'producer.close'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    meeting.closeProducer(peer, data.producerId);
    return empty;
  },

  consume(ctx, data) {
    const { meeting, peer } = joined(ctx);
    return meeting.consume(peer, data.producerId, data.transportId);
  },

  async 'consumer.resume'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    await meeting.resumeConsumer(peer, data.consumerId);
    return empty;
  },

  'consumer.close'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    meeting.closeConsumer(peer, data.consumerId);
    return empty;
  },

  'floor.request'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    return { queue: meeting.requestFloor(peer, data.site) };
  },

  async 'floor.grant'(ctx, data) {
    allow(ctx, 'give-floor');
    await joined(ctx).meeting.grantFloor(roleOf(ctx), data.site);
    return empty;
  },

  async 'floor.revoke'(ctx) {
    allow(ctx, 'take-floor');
    await joined(ctx).meeting.revokeFloor(roleOf(ctx));
    return empty;
  },

  'floor.dismiss'(ctx, data) {
    allow(ctx, 'dismiss');
    joined(ctx).meeting.dismiss(roleOf(ctx), data.site);
    return empty;
  },

  'layout.set'(ctx, data) {
    allow(ctx, 'layout');
    return { layout: joined(ctx).meeting.setLayout(roleOf(ctx), data) };
  },

  'chat.send'(ctx, data) {
    allow(ctx, 'chat');
    const { meeting, peer } = joined(ctx);
    meeting.chat(peer, data.text);
    return empty;
  },

  'site.invite'(ctx, data) {
    allow(ctx, 'invite');
    if (!ctx.meetings.isSite(data.site)) throw new SignallingFailure('invalid-data', `unknown site "${data.site}"`, 'site');
    joined(ctx).meeting.invite(roleOf(ctx), data.site);
    return empty;
  },

  'site.remove'(ctx, data) {
    allow(ctx, 'remove');
    joined(ctx).meeting.remove(roleOf(ctx), data.site);
    return empty;
  },

  'site.dial'(ctx, data) {
    const { claims } = ctx.connection;
    refuseDial(ctx.meetings.policy, { role: claims.role, site: claims.site ?? null }, data.site, ctx.connection.meeting?.id ?? null);
  },
};
