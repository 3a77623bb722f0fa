// Who a probe token belongs to, as every receiver of one checks it (the NOC's
// ingest gateway, the echo responder's bandwidth test): a token we issued, of a
// site of the registry. A probe's token is fixed for the server's secret, so a
// token found good is remembered rather than its signature checked on every
// use; the memory is bounded (emptied when it outgrows a few tokens per site).
import { verifyProbeToken } from './probe-token.ts';

export type ProbeTokenResult = { ok: true; site: string } | { ok: false; status: 401 | 403; reason: string };

export class ProbeTokenCheck {
  #secret: Buffer;
  #sites: ReadonlySet<string> | ReadonlyMap<string, unknown>;
  #known = new Map<string, string>();

  /** `sites`: the registry's site ids (a set, or a map keyed by them). */
  constructor(secret: Buffer, sites: ReadonlySet<string> | ReadonlyMap<string, unknown>) {
    this.#secret = secret;
    this.#sites = sites;
  }

  /** The site of a token found good before, or null (then `check` it). */
  remembered(token: string): string | null {
    const site = this.#known.get(token);
    return site !== undefined && this.#sites.has(site) ? site : null;
  }

  /** The site the token belongs to, or why it is refused (401: not a token we issued; 403: no site of the registry). */
  check(token: string): ProbeTokenResult {
    const remembered = this.remembered(token);
    if (remembered !== null) return { ok: true, site: remembered };
    const site = verifyProbeToken(this.#secret, token);
    if (!site) return { ok: false, status: 401, reason: 'the probe token is not valid' };
    if (!this.#sites.has(site)) return { ok: false, status: 403, reason: `site "${site}" is not in the site registry` };
    if (this.#known.size >= 4 * this.#sites.size + 16) this.#known.clear();
    this.#known.set(token, site);
    return { ok: true, site };
  }
}
