// Collects ingest acknowledgement latencies and failures and sends them to the
// runner once a second (one datagram, not one per batch).
import type { FigureSink } from '../figure-datagram.ts';
import type { VuEvents } from '../scenarios/artillery-types.ts';

export class AckReporter {
  #acks: number[] = [];
  #errors = 0;
  #timer: NodeJS.Timeout;
  probes = 0;

  constructor(figures: FigureSink, periodMs = 1000) {
    this.#timer = setInterval(() => this.flush(figures), periodMs);
    this.#timer.unref();
  }

  /** The probe's `onAck`: the latency to the runner and to Artillery's metrics. */
  handler(events: VuEvents): (ms: number | null) => void {
    return (ms) => {
      this.add(ms);
      if (ms === null) events.emit('counter', 'noc.ingest.errors', 1);
      else events.emit('histogram', 'noc.ingest.ack_ms', ms);
    };
  }

  add(ms: number | null): void {
    if (ms === null) this.#errors++;
    else this.#acks.push(Math.round(ms * 10) / 10);
  }

  flush(figures: FigureSink): void {
    if (this.#acks.length === 0 && this.#errors === 0) return;
    // A datagram stays well under 64 KiB: at most 2000 latencies each.
    while (this.#acks.length > 0 || this.#errors > 0) {
      figures.send({ k: 'ingest', ackMs: this.#acks.splice(0, 2000), errors: this.#errors, probes: this.probes });
      this.#errors = 0;
    }
  }

  stop(figures: FigureSink): void {
    clearInterval(this.#timer);
    this.flush(figures);
  }
}
