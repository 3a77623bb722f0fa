// A simulated site's room page, as far as the NOC sees it: while the room is
// open (a meeting at the site, or a room the scenario keeps open) it posts its
// own media figures every interval, exactly as the real page does — `media`
// samples (video and audio, direction send) to the ingest gateway with the
// site's access token (role `site`), through the site's link gate, so a cut
// link holds them in the page's in-memory queue until the link is back.
import { issueAccessToken } from '@noc/shared/access-token';
import { IngestClient, IngestRejectedError } from '@noc/shared/ingest-client';
import type { Site } from '@noc/shared/sites';
import { createLogger, errorMessage, type Logger } from '../agent/log.ts';
import type { SiteModel } from './site-model.ts';
import type { SiteConditions } from './timeline.ts';

/** A room page's token lives this long; a new one is issued an hour before it runs out. */
const TOKEN_LIFETIME_MS = 24 * 3600_000;
const TOKEN_RENEW_MS = 3600_000;
/** Samples the page keeps while the NOC is out of reach: about half an hour of them at 1 Hz. */
const MAX_QUEUED = 3600;

export interface RoomMediaOptions {
  site: Site;
  model: SiteModel;
  /** The site's link gate: the room page reaches the NOC over the same link as the probe. */
  gateUrl: string;
  secret: Buffer;
  intervalMs: number;
  now: () => { conditions: SiteConditions; t: number };
}

export class RoomMedia {
  #o: RoomMediaOptions;
  #log: Logger;
  #client: IngestClient;
  #tokenExp = 0;
  #timer: NodeJS.Timeout;
  #sending: Promise<void> | null = null;
  #held = false;

  constructor(o: RoomMediaOptions) {
    this.#o = o;
    this.#log = createLogger(`[site:${o.site.id}] [room-media]`);
    this.#client = this.#newClient();
    this.#timer = setInterval(() => this.#tick(), o.intervalMs);
  }

  #newClient(): IngestClient {
    this.#tokenExp = Date.now() + TOKEN_LIFETIME_MS;
    const token = issueAccessToken(this.#o.secret, {
      role: 'site',
      site: this.#o.site.id,
      name: `${this.#o.site.shortName} (mô phỏng)`,
      exp: this.#tokenExp,
    });
    return new IngestClient({
      url: `${this.#o.gateUrl}/api/ingest`,
      token,
      maxSpool: MAX_QUEUED,
      onError: () => {
        this.#held = true;
        const why = this.#client.tokenRefused
          ? `the NOC refuses the page's token (${this.#client.tokenRefused})`
          : 'the NOC cannot be reached';
        this.#log.changed('send', 'warn', `${why}: holding the media figures`);
      },
    });
  }

  #tick(): void {
    const { conditions, t } = this.#o.now();
    const samples = this.#o.model.media(conditions, t);
    if (samples.length === 0) {
      // The room closed (or went dark) with figures still queued: they go out when the link lets them.
      if (this.#client.spoolDepth > 0) this.#sending = this.#client.flush().catch((err: unknown) => this.#log.error(errorMessage(err)));
      return;
    }
    if (this.#tokenExp - Date.now() < TOKEN_RENEW_MS && this.#client.spoolDepth === 0) this.#client = this.#newClient();
    const client = this.#client;
    this.#sending = client
      .send(samples)
      .then(() => {
        if (this.#held && client.spoolDepth === 0) {
          this.#held = false;
          this.#log.changed('send', 'info', 'sending the media figures again');
        }
      })
      .catch((err: unknown) => {
        if (err instanceof IngestRejectedError) this.#log.error(err.message);
        else this.#log.error(`sending the media figures: ${errorMessage(err)}`);
      });
  }

  /** Stops sending; what is still queued is lost, as when the page is closed. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sending;
  }
}
