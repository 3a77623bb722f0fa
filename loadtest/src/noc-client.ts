// The CLI's side of the NOC server's API: signing in, then the routes of
// nocApi (shared/src/http-api.ts) with the session cookie.
import { fillPath } from '@noc/shared/http-contract';
import { nocApi, type NocAnswer, type NocRoute } from '@noc/shared/http-api';

const SESSION_COOKIE = 'noc_session';

export class NocClient {
  #url: string;
  #cookie: string;

  private constructor(url: string, cookie: string) {
    this.#url = url;
    this.#cookie = cookie;
  }

  static async signIn(url: string, username: string, password: string): Promise<NocClient> {
    const res = await fetch(`${url}${nocApi['auth.login'].path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const cookie = res.headers
      .getSetCookie()
      .map((h) => h.split(';')[0]!.trim())
      .find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
    if (!res.ok || !cookie) throw new Error(`signing in to ${url} as ${username} answered ${res.status}: ${await res.text()}`);
    return new NocClient(url, cookie);
  }

  async call<N extends NocRoute>(name: N, opts: { params?: Record<string, string | number>; body?: unknown } = {}): Promise<NocAnswer<N>> {
    const spec = nocApi[name];
    const res = await fetch(`${this.#url}${fillPath(spec.path, opts.params)}`, {
      method: spec.method,
      headers: { cookie: this.#cookie, ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      signal: AbortSignal.timeout(90_000),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        // not JSON: the text as it is
      }
      throw new Error(`${spec.method} ${spec.path} answered ${res.status}: ${message}`);
    }
    return (text ? JSON.parse(text) : undefined) as NocAnswer<N>;
  }
}
