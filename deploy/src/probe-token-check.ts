// Whether a site's probe agent reaches the NOC's ingest gateway with its token, asked the way
// the agent asks: `GET /api/health` says a NOC server answers at the address, then
// `POST /api/ingest` with the token and an empty batch. The gateway checks the sender before
// the body, so an empty batch refused for being empty (400 on `samples`) means the token was
// taken, and nothing is written; 401 or 403 mean the token (or its site) was refused.

export interface TokenCheck {
  ok: boolean;
  /** One line saying what was found, or what is wrong and what to do. */
  message: string;
}

const TIMEOUT_MS = 5000;

async function request(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown } | { error: string }> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { error: cause?.code ?? cause?.message ?? (err as Error).message };
  }
}

const errorOf = (body: unknown): string =>
  typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
    ? (body as { error: string }).error
    : '';

/** Node's codes for a certificate chain this PC does not trust, and for one made out to another name. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

export async function checkProbeToken(nocUrl: string, token: string): Promise<TokenCheck> {
  const base = nocUrl.replace(/\/+$/, '');
  const health = await request(`${base}/api/health`);
  if ('error' in health && UNTRUSTED.has(health.error)) {
    return {
      ok: false,
      message: `the NOC at ${base} answers over HTTPS, but this PC does not trust its certificate (${health.error}): give the certificate of the CA it is from (the province's own) with --ca-file <ca.pem>`,
    };
  }
  if ('error' in health && (health.error === 'ERR_TLS_CERT_ALTNAME_INVALID' || health.error === 'CERT_HAS_EXPIRED')) {
    return {
      ok: false,
      message: `the NOC at ${base} answers over HTTPS, but its certificate ${health.error === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not made out to this address'} (${health.error}): use the address the certificate names, or renew it`,
    };
  }
  if ('error' in health) {
    return {
      ok: false,
      message: `cannot reach the NOC at ${base} (${health.error}): check the address and port, and that the WAN and firewalls let this PC reach it`,
    };
  }
  const report = health.body as { status?: unknown; components?: unknown } | null;
  if (typeof report !== 'object' || report === null || typeof report.status !== 'string' || typeof report.components !== 'object') {
    return { ok: false, message: `${base} answers, but not as the NOC server (GET /api/health answered ${health.status}): check the URL` };
  }
  const ingest = await request(`${base}/api/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ samples: [] }),
  });
  if ('error' in ingest)
    return { ok: false, message: `the NOC at ${base} answered its health check, but not the ingest gateway (${ingest.error})` };
  const site = token.slice(0, token.lastIndexOf('.'));
  const said = errorOf(ingest.body);
  if (ingest.status === 401) {
    return {
      ok: false,
      message:
        `the NOC at ${base} refused the probe token of site "${site}" (${said || 'HTTP 401'}): it is not a token of this NOC. ` +
        `Print the site's token on the NOC server: node probes/src/agent/issue-token.ts --secret-file <NOC_SECRET_FILE> --site ${site}`,
    };
  }
  if (ingest.status === 403) return { ok: false, message: `the NOC at ${base} refused site "${site}": ${said || 'HTTP 403'}` };
  const field = (ingest.body as { field?: unknown } | null)?.field;
  if ((ingest.status === 400 && field === 'samples') || ingest.status === 202) {
    return {
      ok: true,
      message: `the NOC at ${base} takes the probe token of site "${site}" (NOC status: ${(health.body as { status: string }).status})`,
    };
  }
  return {
    ok: false,
    message: `the NOC's ingest gateway at ${base} answered ${ingest.status} unexpectedly: ${said || JSON.stringify(ingest.body)}`,
  };
}
