// The echo responder the link probes measure against. It runs next to each SFU
// node (started inside the node process, or alone with `index.ts`) and answers:
//
// - UDP: every datagram of 1..256 bytes is sent back unchanged to its sender
//   (no amplification: a reply is never larger than the request), at most
//   `maxPerSecond` replies a second in all; anything else is ignored. No token:
//   a reply gives nothing away and is no bigger than what was sent.
// - TCP, same port number: the on-demand bandwidth test, for the sites' probes
//   only (bandwidth-protocol.ts): the request names the direction, the bytes
//   and the site's probe token, checked as the ingest gateway checks it
//   (ProbeTokenCheck). One transfer at a time per site, at most
//   `perSitePerMinute` started per site in a minute, `maxTransfers` at a time
//   in all, each of at most `maxTransferBytes`; a refusal is a line that says
//   why. Idle connections are closed after 10 s, and at most 64 are open at once.
import dgram from 'node:dgram';
import net from 'node:net';
import type { ProbeTokenCheck } from '@noc/shared/probe-token-check';
import { formatRefusal, GO_LINE, MAX_REQUEST_LINE, parseRequest } from './bandwidth-protocol.ts';
import { pumpBytes } from './pump.ts';
import { SiteQuota } from './site-quota.ts';

export interface BandwidthTestOptions {
  /** Who may ask: the probe-token check with the NOC server's secret and the site registry. */
  tokens: ProbeTokenCheck;
  maxTransferBytes?: number;
  /** Transfers at a time, all sites together. */
  maxTransfers?: number;
  /** Transfers a site may start in any minute (a test is two: down, then up). */
  perSitePerMinute?: number;
}

export interface EchoResponderOptions {
  host: string;
  /** 0 picks a free port (the same number for UDP and TCP). */
  port: number;
  maxDatagramBytes?: number;
  maxPerSecond?: number;
  /** Serve the TCP bandwidth test to the sites' probes; absent: the UDP echo only. */
  bandwidth?: BandwidthTestOptions;
}

export interface EchoResponder {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The port the responder listens on unless told otherwise (UDP and TCP). */
export const DEFAULT_ECHO_PORT = 4460;

/** Transfers a site may start per minute unless told otherwise: three tests. */
export const DEFAULT_TRANSFERS_PER_SITE_MINUTE = 6;

const IDLE_MS = 10_000;
const MAX_CONNECTIONS = 64;

export async function startEchoResponder(opts: EchoResponderOptions): Promise<EchoResponder> {
  const settings = { maxDatagramBytes: 256, maxPerSecond: 2000, ...opts };
  const tcpSettings = opts.bandwidth && {
    maxTransferBytes: 16 * 1024 * 1024,
    maxTransfers: 2,
    perSitePerMinute: DEFAULT_TRANSFERS_PER_SITE_MINUTE,
    ...opts.bandwidth,
  };
  // With port 0, the port UDP got may be taken for TCP: try a few.
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(settings.host, settings.port, settings);
    const port = (udp.address() as net.AddressInfo).port;
    if (!tcpSettings) return { host: settings.host, port, close: () => closeUdp(udp) };
    try {
      const tcp = await listenTcp(settings.host, port, tcpSettings);
      return {
        host: settings.host,
        port,
        close: async () => {
          await Promise.all([closeUdp(udp), tcp.close()]);
        },
      };
    } catch (err) {
      await closeUdp(udp);
      if (settings.port !== 0 || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

function bindUdp(host: string, port: number, s: { maxDatagramBytes: number; maxPerSecond: number }): Promise<dgram.Socket> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  let second = 0;
  let answered = 0;
  socket.on('message', (msg, rinfo) => {
    if (msg.length === 0 || msg.length > s.maxDatagramBytes) return;
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) {
      second = now;
      answered = 0;
    }
    if (++answered > s.maxPerSecond) return;
    socket.send(msg, rinfo.port, rinfo.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      // A send to a peer that went away must not bring the responder down.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

function closeUdp(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

type TcpSettings = Required<BandwidthTestOptions>;

function listenTcp(host: string, port: number, s: TcpSettings): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const quota = new SiteQuota(s.perSitePerMinute);
  let active = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    const refuse = (reason: Parameters<typeof formatRefusal>[0], text: string): void => {
      socket.end(formatRefusal(reason, text));
    };
    let header = Buffer.alloc(0);
    const onHeader = (chunk: Buffer): void => {
      header = Buffer.concat([header, chunk]);
      const nl = header.indexOf(10);
      if (nl < 0) {
        if (header.length > MAX_REQUEST_LINE) {
          socket.off('data', onHeader);
          refuse('request', `the request line is longer than ${MAX_REQUEST_LINE} bytes`);
        }
        return;
      }
      socket.off('data', onHeader);
      const request = parseRequest(header.subarray(0, nl).toString('latin1'), s.maxTransferBytes);
      if ('refused' in request) return refuse(request.refused, request.text);
      const probe = s.tokens.check(request.token);
      if (!probe.ok) return refuse('token', probe.reason);
      if (active >= s.maxTransfers) return refuse('busy', `the responder runs ${s.maxTransfers} transfers at a time; try again shortly`);
      const slot = quota.take(probe.site);
      if (!slot.ok) return refuse(slot.reason, slot.text);
      active++;
      let done = false;
      // The slot is free once the transfer is over on this side, not only when the connection has closed:
      // the probe's next transfer (up after down) may arrive before this socket's close.
      const release = (): void => {
        if (done) return;
        done = true;
        active--;
        slot.release();
      };
      socket.once('close', release);
      socket.write(GO_LINE);
      if (request.direction === 'DOWN') {
        pumpBytes(socket, request.bytes, () => {
          release();
          socket.end();
        });
      } else {
        receiveBytes(socket, request.bytes, header.subarray(nl + 1), release);
      }
    };
    socket.on('data', onHeader);
  });
  // Connections that never say anything cost a socket each for 10 s: not more than this many at once.
  server.maxConnections = MAX_CONNECTIONS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function receiveBytes(socket: net.Socket, bytes: number, first: Buffer, receivedAll: () => void): void {
  let received = 0;
  let startedAt = 0n;
  const onData = (chunk: Buffer): void => {
    if (chunk.length === 0) return;
    if (received === 0) startedAt = process.hrtime.bigint();
    received += chunk.length;
    if (received > bytes) {
      socket.destroy();
    } else if (received === bytes) {
      socket.off('data', onData);
      const micros = (process.hrtime.bigint() - startedAt) / 1000n;
      receivedAll();
      socket.end(`OK ${bytes} ${micros}\n`);
    }
  };
  socket.on('data', onData);
  onData(first);
}
