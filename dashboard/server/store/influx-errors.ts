// What an InfluxDB failure means to the NOC, for both clients: "unavailable"
// (try again later: the ingest buffer keeps the samples) or a refusal (the
// request itself is wrong and will never be taken).
import { HttpError, RequestTimedOutError, AbortError } from '@influxdata/influxdb-client';
import { ResultError } from 'influx';
import { StoreUnavailableError } from './store.ts';

/**
 * Answers that say "not now" rather than "never": the credentials (until the
 * operator fixes them), a time-out, too many writes at once.
 */
export const RETRY_LATER = [401, 403, 408, 429];

/**
 * The HTTP status of an answer InfluxDB gave: influxdb-client's HttpError, or
 * node-influx's RequestError (a class of a private file of that package, not
 * exported from its entry, so told apart by the answer it carries).
 */
export function influxAnswerStatus(err: unknown): number | null {
  if (err instanceof HttpError) return err.statusCode;
  const res = (err as { res?: { statusCode?: unknown } } | null)?.res;
  return err instanceof Error && typeof res?.statusCode === 'number' ? res.statusCode : null;
}

/** What InfluxDB said with its answer: the client's parsed JSON message, else the body, else the error's message. */
export function influxAnswerText(err: unknown): string {
  if (err instanceof HttpError) {
    const json = err.json as { message?: unknown; error?: unknown } | undefined;
    const said = json?.message ?? json?.error;
    return typeof said === 'string' ? said : (err.body ?? err.message);
  }
  return err instanceof Error ? err.message : String(err);
}

/** node-influx's "service not available": a 5xx, a time-out or no host. */
const nodeInfluxUnavailable = (err: unknown): boolean => err instanceof Error && err.constructor.name === 'ServiceNotAvailableError';

/** Network failures, time-outs, 5xx and RETRY_LATER are "unavailable"; another 4xx or a query error is a refusal. */
export function toStoreError(err: unknown, url: string, what: string): Error {
  if (err instanceof StoreUnavailableError) return err;
  const status = influxAnswerStatus(err);
  if (status !== null) {
    const message = `InfluxDB at ${url} refused the ${what} (${status}): ${influxAnswerText(err).slice(0, 300)}`;
    return status >= 500 || RETRY_LATER.includes(status) ? new StoreUnavailableError(message, { cause: err }) : new Error(message);
  }
  if (err instanceof ResultError) return new Error(`InfluxDB could not run the ${what}: ${err.message}`);
  const e = err as Error & { code?: string };
  // A refused or broken connection is a system error with a code; time-outs and 5xx have their own classes.
  if (nodeInfluxUnavailable(err) || err instanceof RequestTimedOutError || err instanceof AbortError || typeof e.code === 'string') {
    const reason = e.code ?? (e.message || 'no answer');
    return new StoreUnavailableError(`InfluxDB at ${url} is unavailable (${what}: ${reason})`, { cause: err });
  }
  return e instanceof Error ? e : new Error(String(err));
}
