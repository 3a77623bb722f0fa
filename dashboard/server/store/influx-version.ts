// Which InfluxDB answers: its /ping's X-Influxdb-Version header (our builds
// say `1.12.2` and `2.7.12`). The schema is made differently on 1.x and 2.x;
// 3.x, whose 1.x API makes neither, is not supported.
import type { InfluxDB } from 'influx';
import { StoreUnavailableError } from './store.ts';

export type InfluxMajor = 1 | 2;

export interface InfluxIdentity {
  major: InfluxMajor;
  /** As InfluxDB reports it, or null when its /ping names no version. */
  version: string | null;
}

/** Resolves with the version /ping names (null for none) when InfluxDB answers; StoreUnavailableError otherwise. */
export async function pingInflux(influx: InfluxDB, url: string, timeoutMs: number): Promise<string | null> {
  const host = (await influx.ping(timeoutMs))[0];
  if (!host?.online) {
    const why = host?.res ? `answered /ping with ${host.res.statusCode}` : `no answer to /ping within ${timeoutMs} ms`;
    throw new StoreUnavailableError(`InfluxDB at ${url} is unreachable (${why})`);
  }
  return typeof host.version === 'string' && host.version !== '' ? host.version : null;
}

/**
 * Asks InfluxDB's /ping who it is. Without a version header (a proxy in
 * between, a development build), a token makes it 2.x and none 1.x.
 */
export async function identifyInflux(influx: InfluxDB, url: string, timeoutMs: number, haveToken: boolean): Promise<InfluxIdentity> {
  const version = await pingInflux(influx, url, timeoutMs);
  const major = version === null ? null : Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (major === 1 || major === 2) return { major, version };
  if (major !== null && Number.isFinite(major)) {
    throw new Error(`InfluxDB at ${url} is ${version}: only 1.x (1.8 or later) and 2.x (2.7) are supported`);
  }
  return { major: haveToken ? 2 : 1, version };
}
