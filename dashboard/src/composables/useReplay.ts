// A page's replay: the moment shown, playing forward at 1×, 5×, 15× or 60×,
// and the state the server answered for it (`GET /api/replay/state`). At most
// one state read is in flight: while one runs, only the newest moment asked for
// waits (older ones are dropped), so a 60× play never queues reads. While a
// replay is on, the live stores go on taking the feed but the page shows the
// replay's state only; back to live shows the live stores at once.
import { computed, onUnmounted, ref, shallowRef, type Ref } from 'vue';
import { REPLAY_MAX_AGE_MS, type ReplaySpeed, type ReplayState } from '@noc/shared/replay';
import { api, ApiError, reasonOf } from '../api.ts';

/** How often a playing replay moves its moment forward. */
export const REPLAY_TICK_MS = 250;
/** The newest moment a replay asks for: a little behind now, so the server never sees it in the future. */
const NEWEST_BEHIND_MS = 1000;

/** What the page's probe (window.__nocReplay) reports of the reads, for the tests. */
export interface ReplayReadStats {
  reads: number;
  /** The most reads ever in flight at once (1 when the rule holds). */
  maxInFlight: number;
  /** The slowest read, ms. */
  slowestMs: number;
}

export interface ReplayOptions {
  /** One site's page: only its state is read. */
  site?: Ref<string>;
  /** The session is gone. */
  onUnauthorised?: () => void;
}

export function useReplay(options: ReplayOptions = {}) {
  /** A replay is on: the page shows `state`, not the live stores. */
  const active = ref(false);
  /** The moment the replay has reached (moves while playing). */
  const at = ref(0);
  const playing = ref(false);
  const speed = ref<ReplaySpeed>(1);
  /** The state of the last moment read (null until the first answer). */
  const state = shallowRef<ReplayState | null>(null);
  const error = ref<string | null>(null);
  const stats: ReplayReadStats = { reads: 0, maxInFlight: 0, slowestMs: 0 };
  let inFlight = 0;
  let waiting: number | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let lastTick = 0;

  const newest = () => Date.now() - NEWEST_BEHIND_MS;
  const oldest = () => Date.now() - REPLAY_MAX_AGE_MS + 60_000;
  const clamp = (t: number) => Math.min(newest(), Math.max(oldest(), Math.floor(t)));

  async function read(t: number): Promise<void> {
    if (inFlight > 0) {
      waiting = t;
      return;
    }
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    const started = performance.now();
    try {
      const site = options.site?.value;
      const answer = await api('replay.state', { query: { at: t, ...(site ? { site } : {}) } });
      if (active.value) {
        state.value = answer;
        error.value = null;
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) options.onUnauthorised?.();
      if (active.value) error.value = reasonOf(err);
    } finally {
      stats.reads++;
      stats.slowestMs = Math.max(stats.slowestMs, performance.now() - started);
      inFlight--;
      if (waiting !== null && active.value) {
        const next = waiting;
        waiting = null;
        void read(next);
      }
    }
  }

  function stopTimer(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function tick(): void {
    const now = performance.now();
    const moved = at.value + (now - lastTick) * speed.value;
    lastTick = now;
    if (moved >= newest()) {
      // Caught up with the present: that is live.
      live();
      return;
    }
    at.value = moved;
    void read(Math.floor(moved));
  }

  /** Shows the moment `t` (paused); the moment is kept within the 400 days of the store and behind now. */
  function goTo(t: number): void {
    active.value = true;
    at.value = clamp(t);
    void read(at.value);
  }

  /** Moves the moment by `ms` (negative: back) from the one shown, or from now when live. */
  function step(ms: number): void {
    goTo((active.value ? at.value : Date.now()) + ms);
  }

  function play(): void {
    if (!active.value) return;
    playing.value = true;
    lastTick = performance.now();
    stopTimer();
    timer = setInterval(tick, REPLAY_TICK_MS);
  }

  function pause(): void {
    playing.value = false;
    stopTimer();
  }

  function setSpeed(s: ReplaySpeed): void {
    speed.value = s;
  }

  /** Back to live: the page shows the live stores again at once. */
  function live(): void {
    pause();
    active.value = false;
    waiting = null;
    state.value = null;
    error.value = null;
  }

  /** The moment the page shows: the last answer's (the moment moves on ahead of it while a read runs). */
  const shownAt = computed(() => state.value?.at ?? at.value);

  onUnmounted(stopTimer);

  return { active, at, shownAt, playing, speed, state, error, stats, goTo, step, play, pause, setSpeed, live };
}

export type Replay = ReturnType<typeof useReplay>;
