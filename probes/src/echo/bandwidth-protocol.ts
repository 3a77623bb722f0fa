// The words of the bandwidth test on the echo responder's TCP side, for both
// ends (echo-server.ts answers them, bandwidth.ts speaks them):
//
//   client: "DOWN <bytes> <probe token>\n"  or  "UP <bytes> <probe token>\n"
//   server: "GO\n"                          the test may run:
//             DOWN: <bytes> bytes follow, then the server closes;
//             UP:   the client sends <bytes> bytes, the server answers
//                   "OK <bytes> <microseconds from first to last byte>\n"
//           "NO <reason> <text>\n"          refused, then the server closes
//
// The token is the site's probe token (`<site>.<mac>`, as the ingest gateway
// takes it): the test sends data to whoever asks, so only the sites' probes may
// ask, and each site only so often.

/** Why a test is refused: a bad request line, a token that is not a site's, a test already running, too many this minute. */
export const REFUSAL_REASONS = ['request', 'token', 'busy', 'rate'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** The longest request line taken (a probe token is at most 200 characters). */
export const MAX_REQUEST_LINE = 256;

export interface BandwidthRequest {
  direction: 'UP' | 'DOWN';
  bytes: number;
  token: string;
}

export function formatRequest(r: BandwidthRequest): string {
  return `${r.direction} ${r.bytes} ${r.token}\n`;
}

/** The request on a line (without its newline), or why it is refused. */
export function parseRequest(line: string, maxBytes: number): BandwidthRequest | { refused: RefusalReason; text: string } {
  const m = /^(UP|DOWN) (\d{1,10})(?: (\S+))?$/.exec(line.trim());
  if (!m) return { refused: 'request', text: `expected "UP <bytes> <probe token>" or "DOWN <bytes> <probe token>"` };
  const bytes = Number(m[2]);
  if (!(bytes >= 1 && bytes <= maxBytes)) return { refused: 'request', text: `the transfer must be 1-${maxBytes} bytes, not ${m[2]}` };
  if (!m[3]) return { refused: 'token', text: `missing probe token: send "${m[1]} ${bytes} <the site's probe token>"` };
  return { direction: m[1] as 'UP' | 'DOWN', bytes, token: m[3] };
}

export const GO_LINE = 'GO\n';

export function formatRefusal(reason: RefusalReason, text: string): string {
  return `NO ${reason} ${text.replace(/[\r\n]+/g, ' ')}\n`;
}

/** The server's first line (without its newline): go ahead, or a refusal with its reason. */
export function parseAnswer(line: string): { go: true } | { go: false; reason: RefusalReason | 'unknown'; text: string } {
  if (line === 'GO') return { go: true };
  const m = /^NO (\S+) ?(.*)$/.exec(line);
  if (!m)
    return {
      go: false,
      reason: 'unknown',
      text: `unexpected answer ${JSON.stringify(line.slice(0, 80))} (is the responder of an older release?)`,
    };
  const reason = (REFUSAL_REASONS as readonly string[]).includes(m[1]!) ? (m[1] as RefusalReason) : 'unknown';
  return { go: false, reason, text: m[2] ?? '' };
}

/** A bandwidth test the responder refused, with its reason. */
export class BandwidthRefusedError extends Error {
  readonly reason: RefusalReason | 'unknown';

  constructor(reason: RefusalReason | 'unknown', text: string) {
    super(`refused (${reason}): ${text}`);
    this.name = 'BandwidthRefusedError';
    this.reason = reason;
  }
}
