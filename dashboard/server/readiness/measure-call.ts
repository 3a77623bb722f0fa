// The figures of a site's test call, read from the sample store over the
// window the site was in the call: the means of its room's `media` samples per
// direction (send: site → SFU, recv: SFU → site; loss and jitter over both
// kinds, the frame rate of the picture) and of its probe's round trip to the
// SFU (`link`, target `sfu`); of the sound, its loudest level (speech has
// pauses, and a room page samples the level now and then: the mean of a few
// samples may well fall in a pause, the loudest shows whether sound came through).
import type { TestCallFigures } from '@noc/shared/readiness';
import type { SampleStore } from '../store/store.ts';

type Direction = TestCallFigures['send'];

const figure = (byField: Record<string, Record<string, number>>, field: string, site: string): number | null => {
  const v = byField[field]?.[site];
  return v === undefined || !Number.isFinite(v) ? null : v;
};

async function direction(store: SampleStore, site: string, dir: 'send' | 'recv', from: number, to: number): Promise<Direction> {
  const fields = ['loss_pct', 'jitter_ms'] as const;
  const [both, video, audio] = await Promise.all([
    store.aggregate({ measurement: 'media', fields, from, to, tags: { site, direction: dir }, fn: 'mean' }),
    store.aggregate({ measurement: 'media', fields: ['fps'], from, to, tags: { site, direction: dir, kind: 'video' }, fn: 'mean' }),
    store.aggregate({ measurement: 'media', fields: ['audio_level'], from, to, tags: { site, direction: dir, kind: 'audio' }, fn: 'max' }),
  ]);
  return {
    lossPct: figure(both, 'loss_pct', site),
    jitterMs: figure(both, 'jitter_ms', site),
    fps: figure(video, 'fps', site),
    audioLevel: figure(audio, 'audio_level', site),
  };
}

export async function measureCall(store: SampleStore, site: string, from: number, to: number): Promise<TestCallFigures> {
  const [send, recv, link] = await Promise.all([
    direction(store, site, 'send', from, to),
    direction(store, site, 'recv', from, to),
    store.aggregate({ measurement: 'link', fields: ['rtt_ms'], from, to, tags: { site, target: 'sfu' }, fn: 'mean' }),
  ]);
  return { durationMs: to - from, send, recv, rttMs: figure(link, 'rtt_ms', site) };
}
