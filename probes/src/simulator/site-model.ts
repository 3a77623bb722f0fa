// A believable site: link quality that wanders around a base value for the
// site's distance from the Sở, with an occasional bad spell; power on mains and
// a room at tropical indoor conditions — and whatever the scenario's faults say
// is happening at the site (conditions from the timeline). One method per
// measurement: the simulator's sources for the site's probe agent call them
// (the heartbeat is the agent's own).
import type { ProbeSample } from '@noc/shared/metrics';

type Sample<M extends ProbeSample['measurement']> = Extract<ProbeSample, { measurement: M }>;
import type { Site } from '@noc/shared/sites';
import type { SiteConditions } from './timeline.ts';

/** Deterministic per-site randomness, so a run can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

export function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** The room camera's sizes, best first, and the link quality (0..1) each needs. */
const VIDEO_LADDER = [
  { width: 1280, height: 720, minQuality: 0.75 },
  { width: 960, height: 540, minQuality: 0.45 },
  { width: 640, height: 360, minQuality: 0 },
] as const;

export const HEALTHY: SiteConditions = {
  degradation: null,
  linkCut: false,
  powerCut: null,
  upsDriverLost: false,
  room: null,
  inMeeting: false,
  roomOpen: false,
  inTestCall: false,
};

/** The UPS's battery when mains went away `elapsedMs` ago and it drains in `drainMs`. */
export function batteryAfter(elapsedMs: number, drainMs: number): { pct: number; runtimeS: number } {
  const left = Math.max(0, 1 - elapsedMs / drainMs);
  return { pct: round(left * 100, 0), runtimeS: round((left * drainMs) / 1000, 0) };
}

export class SiteModel {
  readonly site: Site;
  #random: () => number;
  #baseRtt: number;
  #rtt: number;
  #badSpellLeft = 0;
  #tempC: number;
  /** The last link sample's figures, which the room's media follows. */
  #lastLink: { lossPct: number; jitterMs: number; rttMs: number } | null = null;
  /** The room's media has randomness of its own, so link values do not depend on whether media is sent. */
  #mediaRandom: () => number;
  #audioLevel = 0.2;
  #resolution: (typeof VIDEO_LADDER)[number] = VIDEO_LADDER[0];

  constructor(site: Site, seed = 1) {
    this.site = site;
    this.#random = rng(hash(site.id) ^ seed);
    // The Sở and the backup point sit next to the SFU; district centres are further out.
    this.#baseRtt = site.role === 'site' ? 25 + this.#random() * 45 : 4 + this.#random() * 6;
    this.#rtt = this.#baseRtt;
    this.#tempC = 26 + this.#random() * 4;
    this.#mediaRandom = rng(hash(`${site.id}:media`) ^ seed);
  }

  /** One link sample towards the SFU (about a second's worth); a cut link answers no echo. */
  link(conditions: SiteConditions = HEALTHY): Sample<'link'> {
    const r = this.#random;
    // A bad spell (10–40 s of a few % loss and 4× the RTT) comes about once in 35 minutes per site.
    if (this.#badSpellLeft === 0 && r() < 0.0005) this.#badSpellLeft = 10 + Math.floor(r() * 30);
    const bad = this.#badSpellLeft > 0;
    if (bad) this.#badSpellLeft--;
    const target = (bad ? this.#baseRtt * 4 : this.#baseRtt) + (conditions.degradation?.rttMs ?? 0);
    this.#rtt += (target - this.#rtt) * 0.3 + (r() - 0.5) * this.#baseRtt * 0.25;
    this.#rtt = Math.max(1, this.#rtt);
    if (conditions.linkCut) {
      this.#lastLink = null;
      return { measurement: 'link', tags: { target: 'sfu' }, fields: { loss_pct: 100, reachable: false } };
    }
    const jitter = Math.max(0.2, (bad ? 25 : 3) + (conditions.degradation?.jitterMs ?? 0) + (r() - 0.5) * 4);
    const baseLoss = bad ? 2 + r() * 6 : r() < 0.1 ? r() * 0.8 : 0;
    const loss = Math.min(100, baseLoss + (conditions.degradation ? conditions.degradation.lossPct * (0.7 + r() * 0.6) : 0));
    const meetingKbps = conditions.roomOpen ? 1500 : 0;
    this.#lastLink = { lossPct: loss, jitterMs: jitter, rttMs: this.#rtt };
    return {
      measurement: 'link',
      tags: { target: 'sfu' },
      fields: {
        rtt_ms: round(this.#rtt),
        jitter_ms: round(jitter),
        loss_pct: round(loss, 2),
        up_kbps: round(500 + meetingKbps + r() * 500, 0),
        down_kbps: round(1500 + meetingKbps * 3 + r() * 2000, 0),
        reachable: true,
      },
    };
  }

  /**
   * What the room page sends now, as its getStats() reports it (video and
   * audio, direction send); nothing when the room page is closed or the UPS
   * ran dry. The sender adapts to the link as WebRTC's congestion control
   * does: loss and a long round trip lower the bitrate, then the resolution,
   * then the frame rate. A cut link leaves nothing getting through. In a
   * readiness test call the page also reports what it receives (direction
   * recv) over the same link: its loss and jitter, the picture's frame rate.
   */
  media(conditions: SiteConditions = HEALTHY, t = 0): Sample<'media'>[] {
    if (!conditions.roomOpen) return [];
    if (conditions.powerCut && batteryAfter(t - conditions.powerCut.since, conditions.powerCut.drainMs).runtimeS === 0) return [];
    const r = this.#mediaRandom;
    // Speech comes and goes: a level wandering between near-silence and a raised voice.
    this.#audioLevel = Math.min(0.7, Math.max(0.02, this.#audioLevel + (r() - 0.5) * 0.15));
    const audio_level = round(this.#audioLevel, 3);
    const { width, height } = this.#resolution;
    if (conditions.linkCut) {
      const directions = conditions.inTestCall ? (['send', 'recv'] as const) : (['send'] as const);
      return directions.flatMap((direction): Sample<'media'>[] => [
        {
          measurement: 'media',
          tags: { kind: 'video', direction },
          fields: { fps: 0, width, height, bitrate_kbps: 0, loss_pct: 100, jitter_ms: 0 },
        },
        {
          measurement: 'media',
          tags: { kind: 'audio', direction },
          fields: { bitrate_kbps: 0, loss_pct: 100, jitter_ms: 0, audio_level: direction === 'send' ? audio_level : 0 },
        },
      ]);
    }
    const link = this.#lastLink ?? { lossPct: 0, jitterMs: 3, rttMs: this.#baseRtt };
    const quality = Math.min(1, Math.max(0.15, 1 - link.lossPct / 12 - Math.max(0, link.rttMs - 150) / 1500));
    this.#resolution = VIDEO_LADDER.find((step) => quality >= step.minQuality) ?? VIDEO_LADDER.at(-1)!;
    const lossPct = round(Math.min(100, link.lossPct * (0.8 + r() * 0.4)), 2);
    const jitterMs = round(link.jitterMs * (0.8 + r() * 0.4) + 1);
    const fps = quality >= 0.6 ? round(29.5 + r()) : round(Math.max(5, (30 * quality) / 0.6));
    const received: Sample<'media'>[] = conditions.inTestCall ? this.#received(link, quality) : [];
    return [
      {
        measurement: 'media',
        tags: { kind: 'video', direction: 'send' },
        fields: {
          fps,
          width: this.#resolution.width,
          height: this.#resolution.height,
          bitrate_kbps: round(1500 * quality * (0.93 + r() * 0.14), 0),
          loss_pct: lossPct,
          jitter_ms: jitterMs,
        },
      },
      {
        measurement: 'media',
        tags: { kind: 'audio', direction: 'send' },
        fields: { bitrate_kbps: round(32 * (0.97 + r() * 0.06)), loss_pct: lossPct, jitter_ms: jitterMs, audio_level },
      },
      ...received,
    ];
  }

  /** What the room page receives in a test call: the far end's picture and sound, through the same link. */
  #received(link: { lossPct: number; jitterMs: number }, quality: number): Sample<'media'>[] {
    const r = this.#mediaRandom;
    const lossPct = round(Math.min(100, link.lossPct * (0.8 + r() * 0.4)), 2);
    const jitterMs = round(link.jitterMs * (0.8 + r() * 0.4) + 1);
    return [
      {
        measurement: 'media',
        tags: { kind: 'video', direction: 'recv' },
        fields: {
          fps: quality >= 0.6 ? round(29 + r()) : round(Math.max(4, (28 * quality) / 0.6)),
          width: 1280,
          height: 720,
          bitrate_kbps: round(1400 * quality * (0.93 + r() * 0.14), 0),
          loss_pct: lossPct,
          jitter_ms: jitterMs,
        },
      },
      {
        measurement: 'media',
        tags: { kind: 'audio', direction: 'recv' },
        fields: {
          bitrate_kbps: round(32 * (0.97 + r() * 0.06)),
          loss_pct: lossPct,
          jitter_ms: jitterMs,
          audio_level: round(0.1 + r() * 0.3, 3),
        },
      },
    ];
  }

  /** What the room sensor reads now: `{ temp_c, humidity_pct }`. */
  env(conditions: SiteConditions = HEALTHY): { temp_c: number; humidity_pct: number } {
    const r = this.#random;
    this.#tempC += (r() - 0.5) * 0.05;
    return conditions.room
      ? { temp_c: round(conditions.room.tempC + (r() - 0.5) * 0.4), humidity_pct: round(conditions.room.humidityPct + (r() - 0.5)) }
      : { temp_c: round(this.#tempC), humidity_pct: round(60 + r() * 10) };
  }

  /** The UPS as NUT reports it; `t` is ms since the run started. */
  power(conditions: SiteConditions = HEALTHY, t = 0): Sample<'power'> {
    if (conditions.upsDriverLost) return { measurement: 'power', tags: {}, fields: { status: 'DRIVER-NOT-CONNECTED' } };
    if (conditions.powerCut) {
      const { pct, runtimeS } = batteryAfter(t - conditions.powerCut.since, conditions.powerCut.drainMs);
      return {
        measurement: 'power',
        tags: {},
        fields: {
          on_mains: false,
          status: pct < 20 ? 'OB DISCHRG LB' : 'OB DISCHRG',
          battery_pct: pct,
          runtime_s: runtimeS,
          input_v: 0,
          load_pct: 38,
        },
      };
    }
    const r = this.#random;
    return {
      measurement: 'power',
      tags: {},
      fields: {
        on_mains: true,
        status: 'OL',
        battery_pct: 100,
        runtime_s: 1800,
        input_v: round(220 + r() * 10),
        load_pct: round(30 + r() * 10),
      },
    };
  }
}
