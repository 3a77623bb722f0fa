// The quality model (README.md, "How it fits together"): a grade per 20 s window of link samples
// and an E-model MOS. Pure: the wall computes it in the browser from the live
// feed, the server can compute the same from the store.

export const GRADES = ['good', 'ok', 'bad', 'terrible'] as const;
export type Grade = (typeof GRADES)[number];

export const QUALITY_WINDOW_MS = 20_000;
/** How many windows vote for the shown grade. */
export const QUALITY_VOTING_WINDOWS = 3;
/** Jitter above this lowers a window's grade by one. */
export const JITTER_PENALTY_MS = 40;
/** Without a link sample for this long there is no current grade: old data claims nothing. */
export const QUALITY_STALE_MS = 10_000;

/** One link measurement towards the SFU; a missing figure is simply not counted. */
export interface LinkSample {
  time: number;
  lossPct?: number | null;
  jitterMs?: number | null;
  rttMs?: number | null;
}

/** The loss (%) from which a window is ok, bad and terrible: below `ok` it is good. */
export const LOSS_GRADE_FROM = { ok: 1, bad: 3, terrible: 10 } as const;

/** Grade of a window's loss: <1 % good, <3 % ok, <10 % bad, else terrible. */
export function gradeFromLoss(lossPct: number): Grade {
  if (lossPct < LOSS_GRADE_FROM.ok) return 'good';
  if (lossPct < LOSS_GRADE_FROM.bad) return 'ok';
  if (lossPct < LOSS_GRADE_FROM.terrible) return 'bad';
  return 'terrible';
}

const rank = (g: Grade): number => GRADES.indexOf(g);
const lower = (g: Grade): Grade => GRADES[Math.min(GRADES.length - 1, rank(g) + 1)]!;

/** A window's grade from its loss and jitter. */
export function windowGrade(lossPct: number, jitterMs: number | null): Grade {
  const byLoss = gradeFromLoss(lossPct);
  return jitterMs !== null && jitterMs > JITTER_PENALTY_MS ? lower(byLoss) : byLoss;
}

/** The most frequent grade of the windows given; a tie goes to the worse grade. Null for none. */
export function votedGrade(grades: readonly Grade[]): Grade | null {
  let best: Grade | null = null;
  let bestCount = 0;
  for (const g of GRADES) {
    const count = grades.filter((x) => x === g).length;
    // GRADES runs from best to worst, so `>=` lets a worse grade win a tie.
    if (count > 0 && count >= bestCount) {
      best = g;
      bestCount = count;
    }
  }
  return best;
}

/**
 * MOS from the E-model (ITU-T G.107, as Twilio applies it):
 * EL = RTT + 2·jitter + 10; R = 94.768 − EL/40 if EL < 160, else 94.768 − (EL − 120)/10;
 * R −= 2.5·loss%; MOS = 1 + 0.035R + 7·10⁻⁶·R(R − 60)(100 − R).
 * As G.107 defines the mapping, R below 0 gives 1 and R above 100 gives 4.5.
 */
export function mos(rttMs: number, jitterMs: number, lossPct: number): number {
  const el = rttMs + 2 * jitterMs + 10;
  let r = el < 160 ? 94.768 - el / 40 : 94.768 - (el - 120) / 10;
  r -= 2.5 * lossPct;
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
}

const mean = (values: number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

export interface LinkFigures {
  lossPct: number | null;
  jitterMs: number | null;
  rttMs: number | null;
}

/** Means of the figures of some samples; each figure over the samples that carry it. */
export function meanFigures(samples: readonly LinkSample[]): LinkFigures {
  const pick = (key: 'lossPct' | 'jitterMs' | 'rttMs') =>
    mean(samples.map((s) => s[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
  return { lossPct: pick('lossPct'), jitterMs: pick('jitterMs'), rttMs: pick('rttMs') };
}

/** Start of the 20 s window holding `time`; windows are aligned to the epoch so every reader cuts them alike. */
export const windowStart = (time: number, windowMs = QUALITY_WINDOW_MS): number => Math.floor(time / windowMs) * windowMs;

export interface QualityNow {
  /** The shown grade; null when no recent sample carries a loss figure. */
  grade: Grade | null;
  /** MOS over the last window's samples; null without RTT, jitter and loss there. */
  mos: number | null;
  /** The grade of each voting window, oldest first (only windows with samples). */
  windows: Grade[];
  /** Mean loss, jitter and RTT of the last window's samples (what the MOS is computed from). */
  figures: LinkFigures;
  /** Time of the newest sample considered. */
  lastSampleAt: number | null;
}

export interface QualityOptions {
  windowMs?: number;
  staleMs?: number;
}

/**
 * Link samples of one site over the last few windows, and the grade and MOS
 * they give at a moment. Samples may arrive out of order (a back-filled gap);
 * one sample per timestamp is kept.
 */
export class QualityTracker {
  #samples: LinkSample[] = [];
  #windowMs: number;
  #staleMs: number;

  constructor(options: QualityOptions = {}) {
    this.#windowMs = options.windowMs ?? QUALITY_WINDOW_MS;
    this.#staleMs = options.staleMs ?? QUALITY_STALE_MS;
  }

  get size(): number {
    return this.#samples.length;
  }

  add(sample: LinkSample): void {
    const list = this.#samples;
    let i = list.length;
    while (i > 0 && list[i - 1]!.time > sample.time) i--;
    const same = i > 0 ? list[i - 1] : undefined;
    if (same && same.time === sample.time) {
      // The same moment seen twice (live and back-filled): fill in what was missing.
      for (const key of ['lossPct', 'jitterMs', 'rttMs'] as const) same[key] ??= sample[key] ?? null;
    } else {
      list.splice(i, 0, { ...sample });
    }
    this.#forget(list.at(-1)!.time);
  }

  /** Drops samples older than the voting windows before `now`. */
  #forget(now: number): void {
    const keepFrom = windowStart(now, this.#windowMs) - (QUALITY_VOTING_WINDOWS - 1) * this.#windowMs;
    let drop = 0;
    while (drop < this.#samples.length && this.#samples[drop]!.time < keepFrom) drop++;
    if (drop) this.#samples.splice(0, drop);
  }

  /** Grade and MOS at `now`: the window holding `now` and the ones before it vote. */
  current(now: number): QualityNow {
    const windowMs = this.#windowMs;
    const upTo = this.#samples.filter((s) => s.time <= now);
    const last = upTo.at(-1);
    if (!last || now - last.time > this.#staleMs) {
      return {
        grade: null,
        mos: null,
        windows: [],
        figures: { lossPct: null, jitterMs: null, rttMs: null },
        lastSampleAt: last?.time ?? null,
      };
    }
    const first = windowStart(now, windowMs) - (QUALITY_VOTING_WINDOWS - 1) * windowMs;
    const windows: Grade[] = [];
    for (let start = first; start <= now; start += windowMs) {
      const inWindow = upTo.filter((s) => s.time >= start && s.time < start + windowMs);
      const { lossPct, jitterMs } = meanFigures(inWindow);
      if (lossPct !== null) windows.push(windowGrade(lossPct, jitterMs));
    }
    const recent = meanFigures(upTo.filter((s) => s.time > now - windowMs));
    const score =
      recent.rttMs !== null && recent.jitterMs !== null && recent.lossPct !== null
        ? mos(recent.rttMs, recent.jitterMs, recent.lossPct)
        : null;
    return { grade: votedGrade(windows), mos: score, windows, figures: recent, lastSampleAt: last.time };
  }
}
