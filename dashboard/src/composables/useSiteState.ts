// One site's state now: the last heartbeat, the probe's own figures, the
// power readings, the quality grade of its link (shared/src/quality.ts). Read
// from the store when the page opens (`/api/history/last`, the last minute of
// link samples), then kept current by the live feed's samples.
import { ref, shallowRef, triggerRef, watch, type Ref } from 'vue';
import type { LiveSample } from '@noc/shared/live';
import type { Fields, Measurement } from '@noc/shared/metrics';
import { QUALITY_VOTING_WINDOWS, QUALITY_WINDOW_MS, QualityTracker } from '@noc/shared/quality';
import { api } from '../api.ts';

export interface Reading {
  /** Time of the newest sample that set any of the fields. */
  at: number;
  fields: Fields;
}

/** Numeric figures read from the store when the page opens (non-numeric ones, such as the agent version, come live). */
const LAST_FIELDS: Partial<Record<Measurement, string[]>> = {
  probe: ['seq', 'uptime_s', 'spool_depth', 'dropped'],
  power: ['battery_pct', 'runtime_s', 'input_v', 'load_pct'],
};
const LINK_FIELDS = { loss_pct: 'lossPct', jitter_ms: 'jitterMs', rtt_ms: 'rttMs' } as const;

export function useSiteState(site: Ref<string>) {
  const lastHeartbeat = ref<number | null>(null);
  const probe = ref<Reading | null>(null);
  const power = ref<Reading | null>(null);
  /** The link samples towards the SFU that vote for the grade; `quality.value.current(now)` gives it. */
  const quality = shallowRef(new QualityTracker());
  let generation = 0;

  function merge(target: Ref<Reading | null>, time: number, fields: Fields): void {
    const before = target.value;
    target.value = {
      at: Math.max(before?.at ?? 0, time),
      // An older reading never overwrites a newer one's fields.
      fields: before && before.at > time ? { ...fields, ...before.fields } : { ...before?.fields, ...fields },
    };
  }

  function apply(samples: readonly LiveSample[]): void {
    let link = false;
    for (const s of samples) {
      if (s.measurement === 'probe') {
        lastHeartbeat.value = Math.max(lastHeartbeat.value ?? 0, s.time);
        merge(probe, s.time, s.fields);
      } else if (s.measurement === 'power') {
        merge(power, s.time, s.fields);
      } else if (s.measurement === 'link' && s.tags.target === 'sfu') {
        const num = (v: unknown) => (typeof v === 'number' ? v : null);
        quality.value.add({
          time: s.time,
          lossPct: num(s.fields.loss_pct),
          jitterMs: num(s.fields.jitter_ms),
          rttMs: num(s.fields.rtt_ms),
        });
        link = true;
      }
    }
    if (link) triggerRef(quality);
  }

  async function load(): Promise<void> {
    const gen = ++generation;
    const id = site.value;
    const lasts = Object.entries(LAST_FIELDS).flatMap(([measurement, fields]) =>
      fields.map(async (field) => {
        const q = new URLSearchParams({ measurement, field, site: id });
        const value = (await api('history.last', { query: q })).values[id];
        return { measurement: measurement as Measurement, field, value };
      }),
    );
    const minutes = String(Math.ceil((QUALITY_VOTING_WINDOWS * QUALITY_WINDOW_MS) / 60_000) + 1);
    const links = Object.keys(LINK_FIELDS).map(async (field) => {
      const q = new URLSearchParams({ measurement: 'link', field, target: 'sfu', site: id, minutes });
      return { field: field as keyof typeof LINK_FIELDS, points: (await api('history', { query: q })).series[id] ?? [] };
    });
    const [lastAnswers, linkAnswers] = await Promise.all([Promise.allSettled(lasts), Promise.allSettled(links)]);
    if (gen !== generation) return;
    for (const a of lastAnswers) {
      if (a.status !== 'fulfilled' || !a.value.value) continue;
      const { measurement, field, value } = a.value;
      const [time, v] = value;
      if (measurement === 'probe') {
        lastHeartbeat.value = Math.max(lastHeartbeat.value ?? 0, time);
        merge(probe, time, { [field]: v });
      } else merge(power, time, { [field]: v });
    }
    for (const a of linkAnswers) {
      if (a.status !== 'fulfilled') continue;
      for (const [time, v] of a.value.points) quality.value.add({ time, [LINK_FIELDS[a.value.field]]: v });
    }
    triggerRef(quality);
  }

  watch(
    site,
    () => {
      lastHeartbeat.value = null;
      probe.value = null;
      power.value = null;
      quality.value = new QualityTracker();
      void load();
    },
    { immediate: true },
  );

  return { lastHeartbeat, probe, power, quality, apply, reload: load };
}
