// Figures from the scenarios' virtual users to the runner: small JSON
// datagrams to a loopback UDP port the runner names in the plan. Fire and
// forget: a lost datagram costs one figure, never a virtual user's time.
import { createSocket, type Socket } from 'node:dgram';

export type FigureDatagram =
  /** A seat is in the meeting: ms from opening its signalling to joined (and its first packet, when it receives media). */
  | { k: 'seat-joined'; site: string; joinMs: number }
  | { k: 'seat-left'; site: string }
  | { k: 'seat-failed'; site: string; error: string }
  /** Signalling requests made and failed since the sender's last datagram of this kind. */
  | { k: 'signalling'; requests: number; errors: number }
  /** A seat's RTP sink so far (cumulative, keyed by `id`). */
  | { k: 'sink'; id: string; expected: number; received: number; jitterMs: number | null }
  /**
   * A Chromium endpoint's figures so far: `fps` over the last period; in its
   * last datagram (`final`), over its whole stay since the first picture.
   */
  | {
      k: 'browser';
      site: string;
      fps: number | null;
      firstPictureMs: number | null;
      freezeMaxMs: number;
      audioJitterMs: number | null;
      final?: boolean;
    }
  /**
   * A wall client (keyed by `id`): whether it holds the live feed now, the events it received since its
   * last datagram, and the delays (ms) of the `samples` events among them (arrival minus the sample's time).
   */
  | { k: 'wall'; id: string; connected: boolean; events: number; delaysMs: number[] }
  /** Ingest acknowledgements: latencies (ms) of the batches answered, and failures, since the last datagram; the probes posting now. */
  | { k: 'ingest'; ackMs: number[]; errors: number; probes: number }
  /** A processor loaded in the process `pid`: that Artillery process is up. */
  | { k: 'ready'; pid: number }
  /** A part of the scenario that cannot go on (the runner ends the run, naming it). */
  | { k: 'failed'; what: string };

const KINDS = new Set(['seat-joined', 'seat-left', 'seat-failed', 'signalling', 'sink', 'browser', 'wall', 'ingest', 'failed', 'ready']);

/** A datagram's JSON, or null when it is not one of ours. */
export function parseFigureDatagram(text: string): FigureDatagram | null {
  try {
    const value = JSON.parse(text) as { k?: unknown };
    return value && typeof value === 'object' && typeof value.k === 'string' && KINDS.has(value.k) ? (value as FigureDatagram) : null;
  } catch {
    return null;
  }
}

/** Where a virtual user's figures go. */
export interface FigureSink {
  send(figure: FigureDatagram): void;
}

export class FigureSender implements FigureSink {
  #socket: Socket;
  #port: number;

  constructor(port: number) {
    this.#port = port;
    this.#socket = createSocket('udp4');
    // A virtual user must not keep Artillery's worker alive.
    this.#socket.unref();
  }

  send(figure: FigureDatagram): void {
    this.#socket.send(JSON.stringify(figure), this.#port, '127.0.0.1', () => {});
  }

  close(): void {
    this.#socket.close();
  }
}
