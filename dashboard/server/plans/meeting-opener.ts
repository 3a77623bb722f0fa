// Opens the SFU meeting of each planned occurrence at its start: with the
// plan's kind, title and invited sites, over the main node's signalling with an
// operator token of its own, as the control page would. Once per occurrence:
// the opening is recorded in the state database, so a restarted server does not
// open it again, and an occurrence still running when the server starts is
// opened then. A meeting of the same kind and title already open (the control
// centre opened it by hand) counts as its opening. A failure is logged and
// retried with a growing delay until the occurrence ends; it stops nothing else.
import { issueAccessToken } from '@noc/shared/access-token';
import { Backoff } from '@noc/shared/backoff';
import type { MeetingRecord } from '@noc/shared/meeting';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { SignallingClient } from '@noc/shared/signalling-client';
import type { PlanStore } from './plan-store.ts';

/** How the opener signs its signalling connection. */
const OPENER_NAME = 'Kế hoạch họp';
const TOKEN_MS = 60_000;

export interface MeetingOpenerOptions {
  plans: { running(now: number): PlanOccurrence[]; store: PlanStore };
  /** The main node's signalling (`ws://…/signalling`). */
  signallingUrl: string;
  secret: Buffer;
  /** The meetings the SFU nodes carry now. */
  meetings: () => readonly MeetingRecord[];
  checkEveryMs?: number;
  retry?: { firstMs: number; maxMs: number };
  log?: (message: string) => void;
  now?: () => number;
}

export class PlanMeetingOpener {
  #o: MeetingOpenerOptions;
  #timer: NodeJS.Timeout | null = null;
  #busy = false;
  #backoff = new Map<string, Backoff>();
  #log: (message: string) => void;
  #now: () => number;

  constructor(o: MeetingOpenerOptions) {
    this.#o = o;
    this.#log = o.log ?? ((m) => console.warn(`[plans] ${m}`));
    this.#now = o.now ?? Date.now;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.check(), this.#o.checkEveryMs ?? 1000);
    this.#timer.unref();
    // The first round waits one interval: by then the meetings watch has read what the SFU carries, so a
    // meeting opened just before a restart (or by hand) is seen rather than opened twice.
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Opens what has started and is not open yet; one round at a time. */
  async check(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const now = this.#now();
      const running = this.#o.plans.running(now);
      const keys = new Set(running.map((o) => o.key));
      for (const key of this.#backoff.keys()) if (!keys.has(key)) this.#backoff.delete(key);
      for (const occurrence of running) {
        if (this.#o.plans.store.opening(occurrence.key)?.openedAt != null) continue;
        const backoff = this.#backoff.get(occurrence.key);
        if (backoff && !backoff.ready(now)) continue;
        await this.#open(occurrence, now);
      }
    } catch (err) {
      this.#log(`checking the planned meetings failed: ${(err as Error).message}`);
    } finally {
      this.#busy = false;
    }
  }

  async #open(occurrence: PlanOccurrence, now: number): Promise<void> {
    const { store } = this.#o.plans;
    const byHand = this.#o.meetings().find((m) => !m.loadTest && m.kind === occurrence.kind && m.title === occurrence.title);
    if (byHand) {
      store.opened(occurrence.key, occurrence.planId, byHand.id, now);
      this.#log(`${occurrence.key}: "${occurrence.title}" is already open as meeting ${byHand.id}`);
      return;
    }
    let client: SignallingClient | null = null;
    try {
      const token = issueAccessToken(this.#o.secret, { role: 'operator', name: OPENER_NAME, exp: now + TOKEN_MS });
      client = await SignallingClient.connect(this.#o.signallingUrl, token);
      // Stopped meanwhile: the server is closing; the next start opens it.
      if (this.#timer === null) return;
      const created = await client.request('meeting.create', {
        kind: occurrence.kind,
        title: occurrence.title,
        invitedSites: occurrence.invitedSites,
      });
      store.opened(occurrence.key, occurrence.planId, created.meetingId, this.#now());
      this.#backoff.delete(occurrence.key);
      this.#log(`${occurrence.key}: opened meeting ${created.meetingId} "${occurrence.title}" for ${occurrence.invitedSites.length} sites`);
    } catch (err) {
      const message = (err as Error).message;
      store.openFailed(occurrence.key, occurrence.planId, message);
      let backoff = this.#backoff.get(occurrence.key);
      if (!backoff) {
        backoff = new Backoff({ ...(this.#o.retry ?? { firstMs: 2000, maxMs: 60_000 }), jitter: true });
        this.#backoff.set(occurrence.key, backoff);
      }
      const delay = backoff.failed(this.#now());
      this.#log(`${occurrence.key}: opening "${occurrence.title}" failed (${message}); retrying in ${(delay / 1000).toFixed(1)} s`);
    } finally {
      client?.close();
    }
  }
}
