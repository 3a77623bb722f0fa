// Readiness test calls (Điều 8.2) as the simulated rooms take them: the NOC
// opens a short test call on the SFU inviting the backup control point and a
// site; a simulated room invited to one joins it over signalling (a room page
// joins the one meeting it is invited to), stays while the call lasts and its
// link is up, and leaves when the call is closed. While a site is in a call
// its room page is open and reports what it sends and receives (room-media.ts,
// site-model.ts), so a degraded link shows in the call's figures.
import { issueAccessToken } from '@noc/shared/access-token';
import { Backoff } from '@noc/shared/backoff';
import { SignallingClient } from '@noc/shared/signalling-client';
import { errorMessage } from '../agent/log.ts';
import { CLIENT_RTP_CAPABILITIES } from './client-capabilities.ts';

export interface TestCallsOptions {
  /** `ws://…/signalling` of the SFU node. */
  signallingUrl: string;
  secret: Buffer;
  /** The simulated sites. */
  siteIds: readonly string[];
  /** Whether the site's link is cut now: a cut room cannot join. */
  linkCut: (site: string) => boolean;
  /** A site entered or left its last test call. */
  onChange: (site: string, inCall: boolean) => void;
  tickMs?: number;
}

/** A site's connection in one call. */
interface Line {
  meetingId: string;
  site: string;
  client: SignallingClient;
}

const TOKEN_MS = 3600_000;
const RETRY = { firstMs: 1000, maxMs: 15_000 } as const;

export class TestCalls {
  #o: TestCallsOptions;
  #sites: Set<string>;
  #watcher: SignallingClient | null = null;
  #lines = new Map<string, Line>();
  #backoff = new Backoff(RETRY);
  #timer: NodeJS.Timeout;
  #running: Promise<void> | null = null;
  #closed = false;

  constructor(o: TestCallsOptions) {
    this.#o = o;
    this.#sites = new Set(o.siteIds);
    this.#timer = setInterval(() => this.#tick(), o.tickMs ?? 1000);
    this.#tick();
  }

  /** Whether the site is in a test call now. */
  inCall(site: string): boolean {
    return [...this.#lines.values()].some((l) => l.site === site && l.client.open);
  }

  #tick(): void {
    if (this.#running || this.#closed) return;
    this.#running = this.#step()
      .catch((err: unknown) => {
        const delay = this.#backoff.failed(Date.now());
        console.log(`[test-call] watching the SFU's test calls: ${errorMessage(err)}; retrying in ${Math.round(delay / 1000)} s`);
      })
      .finally(() => {
        this.#running = null;
      });
  }

  #token(role: 'operator' | 'site', site?: string, meeting?: string): string {
    return issueAccessToken(this.#o.secret, {
      role,
      name: site ? `${site} (mô phỏng)` : 'Mô phỏng (thử kết nối)',
      exp: Date.now() + TOKEN_MS,
      ...(site ? { site } : {}),
      ...(meeting ? { meeting } : {}),
    });
  }

  async #step(): Promise<void> {
    if (!this.#backoff.ready(Date.now())) return;
    if (!this.#watcher?.open) {
      this.#watcher?.close();
      this.#watcher = await SignallingClient.connect(this.#o.signallingUrl, this.#token('operator'), 5000);
    }
    const { meetings } = await this.#watcher.request('meeting.list', {}, 5000);
    this.#backoff.reset();
    const wanted = new Map<string, { meetingId: string; site: string }>();
    for (const m of meetings) {
      if (!m.testCall) continue;
      for (const site of m.invitedSites) {
        if (this.#sites.has(site) && !this.#o.linkCut(site)) wanted.set(`${m.id}/${site}`, { meetingId: m.id, site });
      }
    }
    for (const [key, line] of this.#lines) {
      if (!wanted.has(key) || !line.client.open) this.#leave(key, line);
    }
    for (const [key, w] of wanted) {
      if (this.#closed) return;
      if (!this.#lines.has(key)) await this.#join(key, w.meetingId, w.site);
    }
  }

  async #join(key: string, meetingId: string, site: string): Promise<void> {
    let client: SignallingClient | null = null;
    try {
      client = await SignallingClient.connect(this.#o.signallingUrl, this.#token('site', site, meetingId), 5000);
      const c = client;
      c.on('meeting.closed', () => c.close());
      await c.request('meeting.join', { meetingId, rtpCapabilities: CLIENT_RTP_CAPABILITIES }, 5000);
      const wasIn = this.inCall(site);
      this.#lines.set(key, { meetingId, site, client: c });
      console.log(`[test-call] ${site} joined the test call ${meetingId}`);
      if (!wasIn) this.#o.onChange(site, true);
    } catch (err) {
      client?.close();
      console.log(`[test-call] ${site} joining the test call ${meetingId}: ${errorMessage(err)}`);
    }
  }

  #leave(key: string, line: Line): void {
    line.client.close();
    this.#lines.delete(key);
    console.log(`[test-call] ${line.site} left the test call ${line.meetingId}`);
    if (!this.inCall(line.site)) this.#o.onChange(line.site, false);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#running;
    for (const [key, line] of this.#lines) this.#leave(key, line);
    this.#watcher?.close();
  }
}
