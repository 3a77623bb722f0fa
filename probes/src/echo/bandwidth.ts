// The on-demand bandwidth test against an echo responder's TCP side (see
// echo-server.ts): a measured transfer of `bytes` each way. Down is timed here
// from the first to the last byte received; up is timed by the responder from
// the first to the last byte it received. Connection setup and the request's
// round trip are left out of both. Each request carries the site's probe
// token; a refusal (bandwidth-protocol.ts) rejects with BandwidthRefusedError
// saying why, and no upload is tried after a refused download.
import net from 'node:net';
import { BandwidthRefusedError, formatRequest, parseAnswer } from './bandwidth-protocol.ts';
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
  /** The site's probe token. */
  token: string;
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

/**
 * Reads the responder's first line, then hands what follows it to `onGo`; a
 * refusal ends the exchange with BandwidthRefusedError.
 */
function afterAnswer(socket: net.Socket, what: string, done: (err: Error | null) => void, onGo: (rest: Buffer) => void): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const nl = head.indexOf(10);
    if (nl < 0) {
      if (head.length > 512) done(new Error(`${what}: unexpected answer from the responder (is it of an older release?)`));
      return;
    }
    socket.off('data', onData);
    const answer = parseAnswer(head.subarray(0, nl).toString('utf8'));
    if (!answer.go) {
      done(new BandwidthRefusedError(answer.reason, answer.text));
      return;
    }
    onGo(head.subarray(nl + 1));
  };
  socket.on('data', onData);
  socket.once('end', () => {
    if (head.indexOf(10) < 0) done(new Error(`${what}: the responder closed without an answer`));
  });
}

function measureDown(opts: BandwidthOptions): Promise<number> {
  return exchange<number>(opts, 'download test', (socket, done) => {
    let received = 0;
    let first = 0n;
    let last = 0n;
    const count = (chunk: Buffer): void => {
      if (chunk.length === 0) return;
      if (received === 0) first = process.hrtime.bigint();
      received += chunk.length;
      last = process.hrtime.bigint();
      if (received > opts.bytes) done(new Error(`download test: the responder sent more than ${opts.bytes} bytes`));
    };
    afterAnswer(socket, 'download test', done, (rest) => {
      socket.on('data', count);
      count(rest);
      socket.once('end', () => {
        if (received !== opts.bytes) {
          done(new Error(`download test: got ${received} of ${opts.bytes} bytes`));
          return;
        }
        done(null, kbps(received, Number((last - first) / 1000n)));
      });
    });
    socket.write(formatRequest({ direction: 'DOWN', bytes: opts.bytes, token: opts.token }));
  });
}

function measureUp(opts: BandwidthOptions): Promise<number> {
  return exchange<number>(opts, 'upload test', (socket, done) => {
    afterAnswer(socket, 'upload test', done, (rest) => {
      let reply = rest.toString('latin1');
      socket.on('data', (chunk: Buffer) => {
        reply += chunk.toString('latin1');
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
      pumpBytes(socket, opts.bytes);
    });
    socket.write(formatRequest({ direction: 'UP', bytes: opts.bytes, token: opts.token }));
  });
}
