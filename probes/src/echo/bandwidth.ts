// The on-demand bandwidth test against an echo responder's TCP side (see
// echo-server.ts): a measured transfer of `bytes` each way. Down is timed here
// from the first to the last byte received; up is timed by the responder from
// the first to the last byte it received. Connection setup and the request's
// round trip are left out of both.
import net from 'node:net';
import { pumpBytes } from './pump.ts';

/** The schema's ceiling for kbps fields (a loopback test can exceed it). */
const MAX_KBPS = 10_000_000;

export interface BandwidthResult {
  upKbps: number;
  downKbps: number;
}

export interface BandwidthOptions {
  host: string;
  port: number;
  bytes: number;
  timeoutMs: number;
  /** Ends the test at once (the agent is stopping). */
  signal?: AbortSignal;
}

export async function measureBandwidth(opts: BandwidthOptions): Promise<BandwidthResult> {
  const downKbps = await measureDown(opts);
  const upKbps = await measureUp(opts);
  return { upKbps, downKbps };
}

export function kbps(bytes: number, micros: number): number {
  const value = (bytes * 8 * 1000) / Math.max(1, micros);
  return Math.min(MAX_KBPS, Math.round(value * 10) / 10);
}

/** Connects, runs `talk` and settles once, with one deadline for the whole exchange. */
function exchange<T>(
  opts: BandwidthOptions,
  what: string,
  talk: (socket: net.Socket, done: (err: Error | null, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const socket = net.connect({ host: opts.host, port: opts.port });
    let settled = false;
    const done = (err: Error | null, value?: T): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as T);
    };
    const onAbort = (): void => done(new Error(`${what} to ${opts.host}:${opts.port} was cancelled`));
    const timer = setTimeout(
      () => done(new Error(`${what} to ${opts.host}:${opts.port} took longer than ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (err) => done(new Error(`${what} to ${opts.host}:${opts.port} failed: ${err.message}`)));
    socket.once('connect', () => talk(socket, done));
  });
}

function measureDown(opts: BandwidthOptions): Promise<number> {
  return exchange<number>(opts, 'download test', (socket, done) => {
    let received = 0;
    let first = 0n;
    let last = 0n;
    socket.on('data', (chunk: Buffer) => {
      if (received === 0) first = process.hrtime.bigint();
      received += chunk.length;
      last = process.hrtime.bigint();
      if (received > opts.bytes) done(new Error(`download test: the responder sent more than ${opts.bytes} bytes`));
    });
    socket.once('end', () => {
      if (received !== opts.bytes) {
        done(new Error(`download test: got ${received} of ${opts.bytes} bytes (is the responder busy or too old?)`));
        return;
      }
      done(null, kbps(received, Number((last - first) / 1000n)));
    });
    socket.write(`DOWN ${opts.bytes}\n`);
  });
}

function measureUp(opts: BandwidthOptions): Promise<number> {
  return exchange<number>(opts, 'upload test', (socket, done) => {
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.length > 200) done(new Error('upload test: unexpected reply from the responder'));
    });
    socket.once('end', () => {
      const m = /^OK (\d+) (\d+)\n$/.exec(reply);
      if (!m || Number(m[1]) !== opts.bytes) {
        done(new Error(`upload test: the responder answered ${JSON.stringify(reply.trim())}`));
        return;
      }
      done(null, kbps(opts.bytes, Number(m[2])));
    });
    socket.write(`UP ${opts.bytes}\n`);
    pumpBytes(socket, opts.bytes);
  });
}
