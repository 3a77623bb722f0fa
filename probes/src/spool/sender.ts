// Sends the spool to the NOC's ingest gateway (`POST /api/ingest`, the site's
// probe token as Bearer), oldest first, in batches of at most `batchMax`.
//
// Answers follow the senders' one rule (`@noc/shared/ingest-answer`):
// - accepted (202): the batch is done (acknowledged in the spool).
// - unavailable (no answer, 5xx, 429): the gateway or its store is down.
//   Everything stays in the spool; the next try comes after a back-off
//   (`Backoff`, from 250 ms doubling up to `retryMaxMs`, with jitter).
// - credentials (401, 403): the token is refused. That is about the credential,
//   not the samples: they stay spooled (within the spool's bounds) and are
//   retried with the same back-off until the token is fixed; the error is logged.
// - malformed (any other 4xx): the batch can never be accepted. It is dropped,
//   counted in `rejected` and logged with the gateway's message. Before sending,
//   each sample is checked against the schema the gateway uses, so one bad
//   sample (say one that aged past the 14-day retention in the spool) is
//   dropped alone instead of taking its batch with it.
//
// Modes:
// - live: every `intervalMs`, all that waits is sent; `sendSoon()` (a sample
//   that cannot wait, such as the mains going off) sends it without waiting.
// - replay, after an outage that left more than one batch: the samples written
//   after the gateway came back are "live" and the backlog is the rest. Each
//   round sends the live samples first (so the wall sees the site's present
//   at once), then one backlog batch, oldest first, at most
//   `replayBatchesPerSecond` rounds a second. When the backlog is empty the
//   sender is back to live mode.
import { Backoff } from '@noc/shared/backoff';
import { gatewayMessage, ingestVerdict } from '@noc/shared/ingest-answer';
import { formatPath, probeSampleSchema } from '@noc/shared/metrics';
import { errorMessage, type Logger } from '../agent/log.ts';
import type { Spool, SpoolRecord } from './spool.ts';

export interface SenderOptions {
  spool: Spool;
  /** The NOC server's base URL. */
  nocUrl: string;
  token: string;
  log: Logger;
  intervalMs: number;
  batchMax: number;
  replayBatchesPerSecond: number;
  timeoutMs: number;
  retryMaxMs: number;
}

/** `nothing`: every sample of the batch failed the schema here, so nothing was sent. */
type Outcome = 'sent' | 'retry' | 'nothing';

const FIRST_RETRY_MS = 250;

export class SpoolSender {
  #o: SenderOptions;
  #url: string;
  #mode: 'live' | 'replay' | 'down' = 'live';
  /** Replay: ids from here on are live samples. */
  #liveFrom = 0;
  #backoff: Backoff;
  #downSince = 0;
  #rejected = 0;
  #loop: Promise<void> | null = null;
  #stopping = new AbortController();
  /** Aborts requests in flight when the stop deadline passes. */
  #hardStop = new AbortController();
  /** Ends the live mode's pause while it lasts; `#soon` asks for no pause at all (a sendSoon() during a send). */
  #wakeUp: (() => void) | null = null;
  #soon = false;

  constructor(opts: SenderOptions) {
    this.#o = opts;
    this.#url = `${opts.nocUrl}/api/ingest`;
    this.#backoff = new Backoff({ firstMs: FIRST_RETRY_MS, maxMs: opts.retryMaxMs, jitter: true });
  }

  /** Live mode: ends the pause before the next send, so what was just spooled goes out now. */
  sendSoon(): void {
    if (this.#mode !== 'live') return;
    if (this.#wakeUp) this.#wakeUp();
    else this.#soon = true;
  }

  /** Samples dropped because the gateway refused them for good (4xx) or they failed the schema here. */
  get rejected(): number {
    return this.#rejected;
  }

  start(): void {
    if (this.#loop) return;
    if (this.#o.spool.depth > this.#o.batchMax) this.#replay(`${this.#o.spool.depth} samples are left from an earlier run`);
    this.#loop = this.#run();
  }

  /**
   * Stops sending. Unless the gateway is down, what waits is sent first, for at
   * most `flushMs`; whatever is left stays in the spool for the next start.
   */
  async stop(flushMs: number): Promise<void> {
    this.#stopping.abort();
    const deadline = setTimeout(() => this.#hardStop.abort(), flushMs);
    try {
      await this.#loop;
      if (this.#mode !== 'down') await this.#sendAll(Date.now() + flushMs);
    } finally {
      clearTimeout(deadline);
    }
    if (this.#o.spool.depth > 0) this.#o.log.info(`${this.#o.spool.depth} samples stay in the spool for the next start`);
  }

  async #run(): Promise<void> {
    while (!this.#stopping.signal.aborted) {
      try {
        await this.#round();
      } catch (err) {
        // Reading the spool failed (a disk error): nothing was acknowledged, so nothing is lost; try again later.
        this.#o.log.changed('round', 'error', `sending failed, will retry: ${errorMessage(err)}`);
        await this.#pause(this.#backoff.next());
        continue;
      }
      this.#o.log.clear('round');
    }
  }

  /** One round of the current mode: a send and the pause after it. */
  async #round(): Promise<void> {
    const spool = this.#o.spool;
    if (this.#mode === 'down') {
      // The oldest batch doubles as the test of whether the gateway is back.
      const batch = spool.oldest(this.#o.batchMax);
      const outcome = batch.length === 0 ? 'retry' : await this.#send(batch);
      if (outcome === 'sent') this.#recovered();
      else if (outcome === 'retry') await this.#pause(this.#backoff.next());
    } else if (this.#mode === 'replay') {
      const live = spool.from(this.#liveFrom, this.#o.batchMax);
      const ok =
        (live.length === 0 || (await this.#send(live)) !== 'retry') &&
        (await this.#send(spool.oldest(this.#o.batchMax, this.#liveFrom))) !== 'retry';
      if (ok && spool.oldest(1, this.#liveFrom).length === 0) {
        this.#mode = 'live';
        this.#o.log.info('backlog replayed; sending live');
      }
      await this.#pause(this.#isDown() ? this.#backoff.next() : 1000 / this.#o.replayBatchesPerSecond);
    } else {
      this.#soon = false;
      await this.#sendAll(Infinity);
      if (this.#isDown()) await this.#pause(this.#backoff.next());
      else if (!this.#soon) await this.#pause(this.#o.intervalMs, true);
    }
  }

  /** Live mode: sends batches until the spool is empty, the gateway fails or `deadline` passes. */
  async #sendAll(deadline: number): Promise<void> {
    while (this.#o.spool.depth > 0 && this.#mode !== 'down' && Date.now() < deadline && !this.#hardStop.signal.aborted) {
      await this.#send(this.#o.spool.oldest(this.#o.batchMax));
    }
  }

  /** A method, not a field read, so a check after an await is not narrowed away. */
  #isDown(): boolean {
    return this.#mode === 'down';
  }

  #recovered(): void {
    const spool = this.#o.spool;
    const downS = Math.round((Date.now() - this.#downSince) / 1000);
    const after = downS < 120 ? `${downS} s` : `${(downS / 60).toFixed(1)} min`;
    this.#backoff.reset();
    if (spool.depth > this.#o.batchMax) {
      this.#replay(`gateway answers again after ${after}`);
    } else {
      this.#mode = 'live';
      this.#o.log.info(`gateway answers again after ${after}; ${spool.depth} samples left to send`);
    }
  }

  /** Enters replay: what is spooled now is the backlog; what comes from now on is live. */
  #replay(why: string): void {
    this.#mode = 'replay';
    this.#liveFrom = this.#o.spool.nextId;
    this.#o.log.info(
      `${why}; replaying the ${this.#o.spool.depth} samples still spooled, oldest first, at most ${this.#o.replayBatchesPerSecond} batches of ${this.#o.batchMax} a second, live samples sent first`,
    );
  }

  #down(reason: string): Outcome {
    if (this.#mode !== 'down') {
      this.#mode = 'down';
      this.#downSince = Date.now();
      this.#o.log.warn(`${reason}; keeping samples in the spool (${this.#o.spool.depth} waiting) and retrying`);
    }
    return 'retry';
  }

  /** Sends one batch. */
  async #send(records: SpoolRecord[]): Promise<Outcome> {
    const valid = this.#dropInvalid(records);
    if (valid.length === 0) return 'nothing';
    let status: number | null = null;
    let text: string;
    try {
      const res = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#o.token}` },
        body: `{"samples":[${valid.map((r) => r.json).join(',')}]}`,
        signal: AbortSignal.any([AbortSignal.timeout(this.#o.timeoutMs), this.#hardStop.signal]),
      });
      text = await res.text();
      status = res.status;
    } catch (err) {
      text = errorMessage(err);
    }
    switch (ingestVerdict(status)) {
      case 'accepted':
        this.#o.spool.ack(valid.map((r) => r.id));
        return 'sent';
      case 'unavailable':
        return this.#down(
          status === null ? `gateway ${this.#url} unreachable: ${text}` : `gateway answered ${status}: ${gatewayMessage(text)}`,
        );
      case 'credentials':
        return this.#down(`gateway refused the probe token (${status}): ${gatewayMessage(text)}; check "token" in the config`);
      case 'malformed':
        this.#o.spool.ack(valid.map((r) => r.id));
        this.#rejected += valid.length;
        this.#o.log.error(
          `gateway refused a batch of ${valid.length} samples (ids ${valid[0]?.id}-${valid.at(-1)?.id}) with ${status}: ${gatewayMessage(text)}; dropped, ${this.#rejected} refused since start`,
        );
        return 'sent';
    }
  }

  /** Drops (and counts) samples the gateway would refuse; returns the rest. */
  #dropInvalid(records: SpoolRecord[]): SpoolRecord[] {
    const valid: SpoolRecord[] = [];
    const invalid: number[] = [];
    for (const r of records) {
      let problem: string | null = null;
      try {
        const parsed = probeSampleSchema.safeParse(JSON.parse(r.json));
        const issue = parsed.error?.issues[0];
        if (issue) problem = `${formatPath(issue.path)}: ${issue.message}`;
      } catch (err) {
        problem = errorMessage(err);
      }
      if (problem === null) {
        valid.push(r);
      } else {
        invalid.push(r.id);
        this.#o.log.error(`dropped spooled sample ${r.id}, which the gateway would refuse: ${problem}`);
      }
    }
    if (invalid.length > 0) {
      this.#o.spool.ack(invalid);
      this.#rejected += invalid.length;
    }
    return valid;
  }

  /** Waits `ms`, or less when stopping (or, if `wakeable`, when sendSoon() is called). */
  #pause(ms: number, wakeable = false): Promise<void> {
    const stopping = this.#stopping.signal;
    if (stopping.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        stopping.removeEventListener('abort', done);
        this.#wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      stopping.addEventListener('abort', done, { once: true });
      if (wakeable) this.#wakeUp = done;
    });
  }
}
