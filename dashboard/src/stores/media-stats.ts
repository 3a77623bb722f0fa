// The diagnostics of a room endpoint: per remote site what arrives (video
// decoded, fps, resolution, freezes, jitter, loss; audio packets and level),
// and what this site sends with its round-trip time to the SFU. `samples`
// gives the same in the metrics schema's `media` and `link` shape, ready to be
// posted to the ingest gateway (which stamps the site).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ProbeSample } from '@noc/shared/metrics';
import {
  audioMos,
  CounterDeltas,
  readLocalAudio,
  readLocalVideo,
  readRemoteAudio,
  readRemoteVideo,
  readMediaPath,
  readRttMs,
  type MediaPath,
  type StatsReport,
  type LocalAudioStats,
  type LocalVideoStats,
  type RemoteAudioStats,
  type RemoteVideoStats,
} from '../media/stats.ts';

export interface RemoteSiteStats {
  site: string;
  /** The consumer the video figures come from (the SFU log names it too). */
  videoConsumer: string | null;
  video: RemoteVideoStats | null;
  audio: RemoteAudioStats | null;
}

export interface LocalStats {
  rttMs: number | null;
  path: MediaPath | null;
  video: LocalVideoStats | null;
  audio: LocalAudioStats | null;
}

/** The reports of one read: each consumer's (by site) and each producer's. */
export interface StatsReports {
  remote: { key: string; site: string; kind: 'audio' | 'video'; report: StatsReport }[];
  local: { key: string; kind: 'audio' | 'video'; report: StatsReport }[];
}

const emptyLocal = (): LocalStats => ({ rttMs: null, path: null, video: null, audio: null });

export const useMediaStatsStore = defineStore('media-stats', () => {
  const remote = ref<Record<string, RemoteSiteStats>>({});
  const local = ref<LocalStats>(emptyLocal());
  const updatedAt = ref<number | null>(null);
  const deltas = new CounterDeltas();

  function update(reports: StatsReports): void {
    const next: Record<string, RemoteSiteStats> = {};
    for (const { key, site, kind, report } of reports.remote) {
      const entry = (next[site] ??= { site, videoConsumer: null, video: null, audio: null });
      if (kind === 'video') {
        entry.video = readRemoteVideo(report, key, deltas) ?? entry.video;
        entry.videoConsumer = key;
      } else entry.audio = readRemoteAudio(report, key, deltas) ?? entry.audio;
    }
    const mine = emptyLocal();
    for (const { key, kind, report } of reports.local) {
      if (kind === 'video') mine.video = readLocalVideo(report, key, deltas);
      else mine.audio = readLocalAudio(report, key, deltas);
      mine.rttMs ??= readRttMs(report);
      mine.path ??= readMediaPath(report);
    }
    // A receive-only endpoint measures its round trip on the receiving transport.
    for (const { report } of reports.remote) {
      mine.rttMs ??= readRttMs(report);
      mine.path ??= readMediaPath(report);
    }
    deltas.sweep();
    remote.value = next;
    local.value = mine;
    updatedAt.value = Date.now();
  }

  function reset(): void {
    remote.value = {};
    local.value = emptyLocal();
    updatedAt.value = null;
  }

  const samples = computed(() => (updatedAt.value === null ? [] : mediaSamples(Object.values(remote.value), local.value, updatedAt.value)));

  return { remote, local, updatedAt, update, reset, samples };
});

const clampMs = (v: number): number => Math.min(600_000, Math.max(0, v));

/**
 * This endpoint's figures as ingest samples. What it receives is summed up over
 * the remote sites the way an alarm needs it: the worst stream's frame rate
 * and resolution, the highest loss and jitter, freezes, NACK, PLI and bitrate
 * added up, the lowest MOS of the audio streams that carry sound.
 */
export function mediaSamples(remotes: RemoteSiteStats[], local: LocalStats, time: number): ProbeSample[] {
  const out: ProbeSample[] = [];
  const videos = remotes.flatMap((r) => (r.video ? [r.video] : []));
  if (videos.length) {
    const worst = videos.reduce((a, b) => (b.fps < a.fps ? b : a));
    out.push({
      measurement: 'media',
      time,
      tags: { kind: 'video', direction: 'recv' },
      fields: {
        fps: Math.min(240, worst.fps),
        width: worst.width,
        height: worst.height,
        bitrate_kbps: videos.reduce((n, v) => n + v.bitrateKbps, 0),
        loss_pct: Math.max(...videos.map((v) => v.lossPct)),
        jitter_ms: clampMs(Math.max(...videos.map((v) => v.jitterMs))),
        freeze_count: videos.reduce((n, v) => n + v.freezeCount, 0),
        freeze_ms: clampMs(videos.reduce((n, v) => n + v.freezeMs, 0)),
        nack: videos.reduce((n, v) => n + v.nack, 0),
        pli: videos.reduce((n, v) => n + v.pli, 0),
      },
    });
  }
  const audios = remotes.flatMap((r) => (r.audio ? [r.audio] : []));
  if (audios.length) {
    const scores = audios.flatMap((a) => audioMos(a, local.rttMs) ?? []);
    out.push({
      measurement: 'media',
      time,
      tags: { kind: 'audio', direction: 'recv' },
      fields: {
        bitrate_kbps: audios.reduce((n, a) => n + a.bitrateKbps, 0),
        loss_pct: Math.max(...audios.map((a) => a.lossPct)),
        jitter_ms: clampMs(Math.max(...audios.map((a) => a.jitterMs))),
        audio_level: Math.max(...audios.map((a) => a.audioLevel)),
        ...(scores.length ? { mos: Math.min(...scores) } : {}),
      },
    });
  }
  if (local.video) {
    const v = local.video;
    out.push({
      measurement: 'media',
      time,
      tags: { kind: 'video', direction: 'send' },
      fields: {
        fps: Math.min(240, v.fps),
        width: v.width,
        height: v.height,
        bitrate_kbps: v.bitrateKbps,
        loss_pct: v.lossPct,
        nack: v.nack,
        pli: v.pli,
      },
    });
  }
  if (local.audio) {
    out.push({
      measurement: 'media',
      time,
      tags: { kind: 'audio', direction: 'send' },
      fields: { bitrate_kbps: local.audio.bitrateKbps, audio_level: local.audio.audioLevel },
    });
  }
  if (local.rttMs !== null) out.push({ measurement: 'link', time, tags: { target: 'sfu' }, fields: { rtt_ms: clampMs(local.rttMs) } });
  return out;
}
