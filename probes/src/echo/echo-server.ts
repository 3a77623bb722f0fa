// The echo responder the link probes measure against. It runs next to each SFU
// node (started inside the node process, or alone with `index.ts`) and answers:
//
// - UDP: every datagram of 1..256 bytes is sent back unchanged to its sender
//   (no amplification: a reply is never larger than the request), at most
//   `maxPerSecond` replies a second in all; anything else is ignored.
// - TCP, same port number: the on-demand bandwidth test. The client sends one
//   line, `DOWN <bytes>` (the responder sends that many bytes and closes) or
//   `UP <bytes>` followed by the bytes (the responder answers
//   `OK <bytes> <microseconds from first to last byte>`). At most
//   `maxTransfers` at a time (others get `BUSY`), each of at most
//   `maxTransferBytes`, idle connections are closed after 10 s.
import dgram from 'node:dgram';
import net from 'node:net';
import { pumpBytes } from './pump.ts';

export interface EchoResponderOptions {
  host: string;
  /** 0 picks a free port (the same number for UDP and TCP). */
  port: number;
  maxDatagramBytes?: number;
  maxPerSecond?: number;
  /** Serve the TCP bandwidth test; default true. */
  bandwidth?: boolean;
  maxTransferBytes?: number;
  maxTransfers?: number;
}

export interface EchoResponder {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The port the responder listens on unless told otherwise (UDP and TCP). */
export const DEFAULT_ECHO_PORT = 4460;

const IDLE_MS = 10_000;
const MAX_REQUEST_LINE = 64;

export async function startEchoResponder(opts: EchoResponderOptions): Promise<EchoResponder> {
  const settings = {
    maxDatagramBytes: 256,
    maxPerSecond: 2000,
    bandwidth: true,
    maxTransferBytes: 16 * 1024 * 1024,
    maxTransfers: 2,
    ...opts,
  };
  // With port 0, the port UDP got may be taken for TCP: try a few.
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(settings.host, settings.port, settings);
    const port = (udp.address() as net.AddressInfo).port;
    if (!settings.bandwidth) return { host: settings.host, port, close: () => closeUdp(udp) };
    try {
      const tcp = await listenTcp(settings.host, port, settings);
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

interface TcpSettings {
  maxTransferBytes: number;
  maxTransfers: number;
}

function listenTcp(host: string, port: number, s: TcpSettings): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let active = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    let header = Buffer.alloc(0);
    const onHeader = (chunk: Buffer): void => {
      header = Buffer.concat([header, chunk]);
      const nl = header.indexOf(10);
      if (nl < 0) {
        if (header.length > MAX_REQUEST_LINE) socket.destroy();
        return;
      }
      socket.off('data', onHeader);
      const m = /^(UP|DOWN) (\d{1,10})$/.exec(header.subarray(0, nl).toString('latin1').trim());
      const bytes = Number(m?.[2]);
      if (!m || !(bytes >= 1 && bytes <= s.maxTransferBytes)) {
        socket.end(`ERR expected "UP <bytes>" or "DOWN <bytes>", 1-${s.maxTransferBytes} bytes\n`);
        return;
      }
      if (active >= s.maxTransfers) {
        socket.end('BUSY\n');
        return;
      }
      active++;
      socket.once('close', () => active--);
      if (m[1] === 'DOWN') pumpBytes(socket, bytes, () => socket.end());
      else receiveBytes(socket, bytes, header.subarray(nl + 1));
    };
    socket.on('data', onHeader);
  });
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

function receiveBytes(socket: net.Socket, bytes: number, first: Buffer): void {
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
      socket.end(`OK ${bytes} ${micros}\n`);
    }
  };
  socket.on('data', onData);
  onData(first);
}
