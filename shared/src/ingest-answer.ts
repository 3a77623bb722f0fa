// What a sender does with a batch after the ingest gateway's answer: the one
// rule every sender follows (the probe's spool sender, the SFU nodes' and room
// pages' client).
// - `accepted` (202, or any 2xx): the batch is stored; it leaves the sender's queue.
// - `unavailable` (no answer, 5xx, 429): the gateway or its store is down.
//   The batch stays and is retried with back-off.
// - `credentials` (401, 403): the token is refused. That is the credential's
//   fault, not the samples': they stay queued (within the queue's bounds) and
//   are retried with back-off until the token is fixed; the refusal is logged.
// - `malformed` (any other status): the batch itself is refused (a 400 for a
//   sample out of the schema, a 422 for one outside what the token may send,
//   say a room page's non-media sample) and would be refused again on every retry, so
//   it is dropped, counted and logged, and does not block the samples after it.

export type IngestVerdict = 'accepted' | 'unavailable' | 'credentials' | 'malformed';

/** The verdict for an HTTP status, or for no answer at all (`null`: unreachable, timed out). */
export function ingestVerdict(status: number | null): IngestVerdict {
  if (status === null || status >= 500 || status === 429) return 'unavailable';
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 401 || status === 403) return 'credentials';
  return 'malformed';
}

/** Whether the batch stays in the sender's queue after this verdict. */
export const keepsBatch = (verdict: IngestVerdict): boolean => verdict === 'unavailable' || verdict === 'credentials';

/** The gateway's `error` (and `field`) from its JSON answer, or the start of the raw text. */
export function gatewayMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; field?: unknown };
    if (typeof body.error === 'string') return body.field ? `${body.error} (field ${String(body.field)})` : body.error;
  } catch {
    // not JSON
  }
  return text.slice(0, 300) || '(empty answer)';
}
