// What each signalling method does, and who may call it. One handler per
// method, typed by the shared protocol.
import type { types } from 'mediasoup';
import type { AccessRole } from '@noc/shared/access-token';
import type { RequestData, RequestMethod, ResponseData } from '@noc/shared/meeting-protocol';
import type { Meeting } from '../meetings/meeting.ts';
import type { MeetingRegistry } from '../meetings/meeting-registry.ts';
import { SignallingFailure } from './failure.ts';
import type { Connection } from './connection.ts';

export interface HandlerContext {
  connection: Connection;
  meetings: MeetingRegistry;
}

type Handler<M extends RequestMethod> = (ctx: HandlerContext, data: RequestData<M>) => Promise<ResponseData[M]> | ResponseData[M];

const CONTROL: readonly AccessRole[] = ['operator', 'chair'];

function allow(ctx: HandlerContext, roles: readonly AccessRole[], what: string): void {
  if (!roles.includes(ctx.connection.claims.role)) {
    throw new SignallingFailure('unauthorised', `a ${ctx.connection.claims.role} may not ${what}`);
  }
}

function joined(ctx: HandlerContext): { meeting: Meeting; peer: NonNullable<Connection['peer']> } {
  const { meeting, peer } = ctx.connection;
  if (!meeting || !peer || meeting.closed) throw new SignallingFailure('conflict', 'join a meeting first (meeting.join)');
  return { meeting, peer };
}

const empty = {} as Record<string, never>;

export const handlers: { [M in RequestMethod]: Handler<M> } = {
  async 'meeting.create'(ctx, data) {
    allow(ctx, ['operator'], 'create a meeting');
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
    allow(ctx, ['operator'], 'end a meeting');
    ctx.meetings.close(data.meetingId, 'ended by the control centre');
    return empty;
  },

  async 'meeting.move'(ctx, data) {
    allow(ctx, ['operator'], 'move a meeting to another node');
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

  produce(ctx, data) {
    allow(ctx, ['site'], 'send media');
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

  'floor.request'(ctx, data) {
    const { meeting, peer } = joined(ctx);
    const role = peer.role;
    if (role === 'site') {
      if (data.site && data.site !== peer.site) {
        throw new SignallingFailure('unauthorised', 'a site raises speaking requests only for itself', 'site');
      }
      return { queue: meeting.requestFloor(peer.site!, 'site') };
    }
    allow(ctx, CONTROL, 'raise a speaking request');
    if (!data.site) throw new SignallingFailure('invalid-data', 'name the site the request is for', 'site');
    return { queue: meeting.requestFloor(data.site, role === 'chair' ? 'chair' : 'operator') };
  },

  async 'floor.grant'(ctx, data) {
    allow(ctx, CONTROL, 'give the floor');
    await joined(ctx).meeting.grantFloor(data.site);
    return empty;
  },

  async 'floor.revoke'(ctx) {
    allow(ctx, CONTROL, 'take the floor back');
    await joined(ctx).meeting.revokeFloor();
    return empty;
  },

  'floor.dismiss'(ctx, data) {
    allow(ctx, CONTROL, 'dismiss a speaking request');
    joined(ctx).meeting.dismiss(data.site);
    return empty;
  },

  'layout.set'(ctx, data) {
    allow(ctx, ['operator'], 'change the layout');
    return { layout: joined(ctx).meeting.setLayout(data) };
  },

  'chat.send'(ctx, data) {
    allow(ctx, ['site', 'operator', 'chair'], 'write in the chat');
    const { meeting, peer } = joined(ctx);
    meeting.chat(peer, data.text);
    return empty;
  },

  'site.invite'(ctx, data) {
    allow(ctx, ['operator'], 'invite a site');
    if (!ctx.meetings.isSite(data.site)) throw new SignallingFailure('invalid-data', `unknown site "${data.site}"`, 'site');
    joined(ctx).meeting.invite(data.site);
    return empty;
  },

  async 'site.remove'(ctx, data) {
    allow(ctx, ['operator'], 'remove a site');
    await joined(ctx).meeting.remove(data.site);
    return empty;
  },

  'site.dial'(ctx, data) {
    const { claims } = ctx.connection;
    if (claims.role === 'site' || claims.role === 'seat') {
      ctx.meetings.policy.record({
        type: 'dial-outside-policy',
        site: claims.site!,
        meeting: ctx.connection.meeting?.id ?? null,
        detail: `${claims.role}:${claims.site} tried to call ${data.site} directly`,
      });
      throw new SignallingFailure('unauthorised', 'a site may not call another point; the control centre connects sites (Điều 9.2)');
    }
    throw new SignallingFailure('invalid-data', 'the control centre brings a site in with site.invite');
  },
};
