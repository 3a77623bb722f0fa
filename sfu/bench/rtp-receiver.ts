// The consuming seats' side: UDP sockets on 127.0.0.1 that count RTP packets per
// SSRC and find sequence-number gaps (receiver loss). RTCP (RTCP-mux: same
// port) is counted apart and otherwise ignored.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';

const LOOPBACK = '127.0.0.1';

interface StreamCounters {
  /** RTP packets received, duplicates included. */
  received: number;
  /** Highest extended sequence number seen (16-bit seq + 65536 * wraps). */
  maxExt: number;
  /** First extended sequence number seen. */
  firstExt: number;
}

export interface LossWindow {
  /** RTP packets received in the window. */
  received: number;
  /** Packets the sequence numbers say should have arrived in the window. */
  expected: number;
  /** expected - received, never below 0 per stream. */
  lost: number;
  /** RTCP packets received in the window (not part of the loss figures). */
  rtcp: number;
  /** RTP packets of SSRCs nobody registered (e.g. RTX). */
  unknown: number;
}

export interface Snapshot {
  streams: Map<number, { received: number; maxExt: number }>;
  rtcp: number;
  unknown: number;
}

export class RtpReceiver {
  readonly #sockets: Socket[] = [];
  readonly #streams = new Map<number, StreamCounters>();
  readonly #recvBufferSize: number;
  #rtcp = 0;
  #unknown = 0;

  constructor({ recvBufferSize }: { recvBufferSize: number }) {
    this.#recvBufferSize = recvBufferSize;
  }

  /** Local ports of the receiving sockets, in creation order. */
  get ports(): number[] {
    return this.#sockets.map((s) => s.address().port);
  }

  /** Opens one more receiving socket on 127.0.0.1 and returns its port. */
  async addSocket(): Promise<number> {
    const socket = createSocket({ type: 'udp4', recvBufferSize: this.#recvBufferSize });
    socket.on('message', (msg) => this.#onPacket(msg));
    socket.on('error', () => {
      /* a receive error only shows up as loss */
    });
    socket.bind(0, LOOPBACK);
    await once(socket, 'listening');
    this.#sockets.push(socket);
    return socket.address().port;
  }

  /** Counts packets of this SSRC from now on (other RTP SSRCs count as unknown). */
  track(ssrc: number): void {
    if (!this.#streams.has(ssrc)) this.#streams.set(ssrc, { received: 0, maxExt: -1, firstExt: -1 });
  }

  #onPacket(b: Buffer): void {
    if (b.length < 12 || (b[0]! & 0xc0) !== 0x80) return;
    const second = b[1]!;
    // RFC 5761: with RTCP-mux, RTCP packet types 192-223 sit where RTP's
    // marker bit + payload type would be.
    if (second >= 192 && second <= 223) {
      this.#rtcp++;
      return;
    }
    const ssrc = b.readUInt32BE(8);
    const s = this.#streams.get(ssrc);
    if (!s) {
      this.#unknown++;
      return;
    }
    const seq = (b[2]! << 8) | b[3]!;
    s.received++;
    if (s.maxExt < 0) {
      s.maxExt = seq;
      s.firstExt = seq;
      return;
    }
    const delta = (seq - (s.maxExt & 0xffff) + 0x10000) & 0xffff;
    // Forward (or a wrap): advance. Backward (reordered/duplicate): keep max.
    if (delta !== 0 && delta < 0x8000) s.maxExt += delta;
  }

  snapshot(): Snapshot {
    const streams = new Map<number, { received: number; maxExt: number }>();
    for (const [ssrc, s] of this.#streams) streams.set(ssrc, { received: s.received, maxExt: s.maxExt });
    return { streams, rtcp: this.#rtcp, unknown: this.#unknown };
  }

  /**
   * Loss over the window between `start` (an earlier snapshot) and now, for the
   * given streams. `sent` is what the stream's source sent in the window: a
   * stream that received nothing lost all of it (its sequence numbers cannot
   * say how much was missed).
   */
  window(start: Snapshot, streams: Iterable<{ ssrc: number; sent: number }>): LossWindow {
    let received = 0;
    let expected = 0;
    let lost = 0;
    for (const { ssrc, sent } of streams) {
      const now = this.#streams.get(ssrc);
      const before = start.streams.get(ssrc);
      const got = now ? now.received - (before?.received ?? 0) : 0;
      if (!now || got === 0) {
        expected += sent;
        lost += sent;
        continue;
      }
      // A stream that had packets before the window: expected are those after
      // its highest seq then. A stream that started inside it: from its first.
      const exp = before && before.maxExt >= 0 ? now.maxExt - before.maxExt : now.maxExt - now.firstExt + 1;
      received += got;
      expected += exp;
      lost += Math.max(0, exp - got);
    }
    return { received, expected, lost, rtcp: this.#rtcp - start.rtcp, unknown: this.#unknown - start.unknown };
  }

  close(): void {
    for (const s of this.#sockets) {
      try {
        s.close();
      } catch {
        /* already closed */
      }
    }
    this.#sockets.length = 0;
  }
}
