// A receiver's end of the media: one UDP socket that counts the RTP arriving
// on it, per SSRC: packets, bytes, loss from sequence-number gaps, the
// interarrival jitter of RFC 3550 (6.4.1) and the bitrate. RTCP on the same
// port (RTCP-mux) is counted apart and otherwise ignored. Figures are kept for
// a window that `reset()` starts anew, so a caller can measure a hold at a time.
// With SRTP the RTP header (sequence number, timestamp, SSRC) stays in clear,
// so an encrypted stream is counted as well as a plain one.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { udpDrops } from './udp-stats.ts';

export interface RtpSinkOptions {
  /** Address to bind (127.0.0.1). */
  host?: string;
  /** Port to bind; 0 (the default) picks a free one. */
  port?: number;
  /** SO_RCVBUF asked of the kernel (it caps it at net.core.rmem_max). */
  recvBufferSize?: number;
}

/** One SSRC's figures over the window. */
export interface StreamFigures {
  ssrc: number;
  payloadType: number;
  /** RTP packets received in the window, duplicates included. */
  packets: number;
  /** RTP bytes (whole packets) received in the window. */
  bytes: number;
  /** Packets the sequence numbers say should have arrived in the window. */
  expected: number;
  /** expected − packets, never below 0. */
  lost: number;
  lossPct: number;
  /** RFC 3550 interarrival jitter now, in ms; null while the payload type's clock rate is unknown. */
  jitterMs: number | null;
  /** Received bitrate over the window, kbit/s. */
  bitrateKbps: number;
}

export interface SinkFigures {
  streams: StreamFigures[];
  packets: number;
  bytes: number;
  expected: number;
  lost: number;
  lossPct: number;
  /** RTCP packets received in the window (not part of the figures above). */
  rtcp: number;
  /** Length of the window, ms. */
  windowMs: number;
}

interface StreamState {
  payloadType: number;
  packets: number;
  bytes: number;
  /** Highest extended sequence number seen (16-bit seq + 65536 × wraps). */
  maxExt: number;
  firstExt: number;
  /** Window start: counters then (maxExt −1: the stream started inside the window). */
  base: { packets: number; bytes: number; maxExt: number };
  /** RFC 3550 jitter in RTP timestamp units, and the previous packet's transit. */
  jitter: number;
  lastTransit: number | null;
  clockRate: number | undefined;
}

const pct = (lost: number, expected: number): number => (expected > 0 ? (100 * lost) / expected : 0);

export class RtpSink {
  readonly host: string;
  readonly port: number;
  #socket: Socket | null;
  #streams = new Map<number, StreamState>();
  #clockRates = new Map<number, number>();
  #rtcp = 0;
  #rtcpBase = 0;
  #windowStart = performance.now();
  #waiters: ((at: number) => void)[] = [];

  private constructor(socket: Socket | null, host: string, port: number) {
    this.#socket = socket;
    this.host = host;
    this.port = port;
  }

  /** Opens the socket. */
  static async open(opts: RtpSinkOptions = {}): Promise<RtpSink> {
    const host = opts.host ?? '127.0.0.1';
    const socket = createSocket({
      type: host.includes(':') ? 'udp6' : 'udp4',
      ...(opts.recvBufferSize ? { recvBufferSize: opts.recvBufferSize } : {}),
    });
    socket.on('error', () => {
      /* a receive error shows up as loss */
    });
    socket.bind(opts.port ?? 0, host);
    await once(socket, 'listening');
    const sink = new RtpSink(socket, host, socket.address().port);
    socket.on('message', (packet) => sink.receive(packet, performance.now()));
    return sink;
  }

  /** A sink without a socket, fed by `receive()` (for tests of the arithmetic), its window starting at `startMs`. */
  static detached(startMs = 0): RtpSink {
    const sink = new RtpSink(null, '', 0);
    sink.#windowStart = startMs;
    return sink;
  }

  /** The clock rate (Hz) of a payload type, which the jitter needs to turn RTP timestamps into time. */
  setClockRate(payloadType: number, clockRate: number): void {
    if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127) throw new Error(`payload type ${payloadType} is not 0–127`);
    if (!(clockRate > 0)) throw new Error(`clock rate ${clockRate} of payload type ${payloadType} must be positive`);
    this.#clockRates.set(payloadType, clockRate);
    for (const s of this.#streams.values()) if (s.payloadType === payloadType) s.clockRate = clockRate;
  }

  /** Resolves with the arrival time (performance.now()) of the next RTP packet. */
  nextPacket(): Promise<number> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Arrival time (performance.now()) of the latest RTP packet; null before the first. */

  /** Counts one datagram that arrived at `atMs` (performance.now() scale). */
  receive(b: Buffer, atMs: number): void {
    if (b.length < 8 || (b[0]! & 0xc0) !== 0x80) return;
    const second = b[1]!;
    // RFC 5761: with RTCP-mux, RTCP packet types 192–223 sit where RTP's
    // marker bit + payload type would be.
    if (second >= 192 && second <= 223) {
      this.#rtcp++;
      return;
    }
    if (b.length < 12) return;
    const payloadType = second & 0x7f;
    const seq = b.readUInt16BE(2);
    const timestamp = b.readUInt32BE(4);
    const ssrc = b.readUInt32BE(8);
    let s = this.#streams.get(ssrc);
    if (!s) {
      s = {
        payloadType,
        packets: 0,
        bytes: 0,
        maxExt: -1,
        firstExt: -1,
        base: { packets: 0, bytes: 0, maxExt: -1 },
        jitter: 0,
        lastTransit: null,
        clockRate: this.#clockRates.get(payloadType),
      };
      this.#streams.set(ssrc, s);
    }
    s.packets++;
    s.bytes += b.length;
    let inOrder = false;
    if (s.maxExt < 0) {
      s.maxExt = seq;
      s.firstExt = seq;
      inOrder = true;
    } else {
      const delta = (seq - (s.maxExt & 0xffff) + 0x10000) & 0xffff;
      // Forward (or a wrap): advance. Backward (reordered, duplicate): keep the highest.
      if (delta !== 0 && delta < 0x8000) {
        s.maxExt += delta;
        inOrder = true;
      }
    }
    if (inOrder && s.clockRate) {
      // Transit in timestamp units; the difference of two transits is what RFC 3550 calls D(i−1, i).
      const transit = (atMs * s.clockRate) / 1000 - timestamp;
      if (s.lastTransit !== null) {
        let d = transit - s.lastTransit;
        // The timestamp wrapped between the two packets.
        if (d > 2 ** 31) d -= 2 ** 32;
        else if (d < -(2 ** 31)) d += 2 ** 32;
        s.jitter += (Math.abs(d) - s.jitter) / 16;
      }
      s.lastTransit = transit;
    }
    const waiters = this.#waiters;
    if (waiters.length) {
      this.#waiters = [];
      for (const resolve of waiters) resolve(atMs);
    }
  }

  /** The window's figures so far. */
  figures(now = performance.now()): SinkFigures {
    const windowMs = Math.max(0, now - this.#windowStart);
    const streams: StreamFigures[] = [];
    for (const [ssrc, s] of this.#streams) {
      const packets = s.packets - s.base.packets;
      const bytes = s.bytes - s.base.bytes;
      // A stream seen before the window: expected are those after its highest seq then. One that began in it: from its first.
      const expected = s.base.maxExt >= 0 ? s.maxExt - s.base.maxExt : s.maxExt - s.firstExt + 1;
      const lost = Math.max(0, expected - packets);
      streams.push({
        ssrc,
        payloadType: s.payloadType,
        packets,
        bytes,
        expected,
        lost,
        lossPct: pct(lost, expected),
        jitterMs: s.clockRate ? (s.jitter / s.clockRate) * 1000 : null,
        bitrateKbps: windowMs > 0 ? (bytes * 8) / windowMs : 0,
      });
    }
    const sum = (key: 'packets' | 'bytes' | 'expected' | 'lost'): number => streams.reduce((a, x) => a + x[key], 0);
    return {
      streams,
      packets: sum('packets'),
      bytes: sum('bytes'),
      expected: sum('expected'),
      lost: sum('lost'),
      lossPct: pct(sum('lost'), sum('expected')),
      rtcp: this.#rtcp - this.#rtcpBase,
      windowMs,
    };
  }

  /** Ends the window: returns its figures and starts a new one. */
  reset(now = performance.now()): SinkFigures {
    const figures = this.figures(now);
    for (const s of this.#streams.values()) s.base = { packets: s.packets, bytes: s.bytes, maxExt: s.maxExt };
    this.#rtcpBase = this.#rtcp;
    this.#windowStart = now;
    return figures;
  }

  /** Datagrams the kernel dropped at this sink's socket (its receive buffer full); undefined where it cannot be read. */
  kernelDrops(): number | undefined {
    return this.#socket ? udpDrops(new Set([this.port])) : undefined;
  }

  close(): void {
    try {
      this.#socket?.close();
    } catch {
      /* already closed */
    }
    this.#socket = null;
  }
}
