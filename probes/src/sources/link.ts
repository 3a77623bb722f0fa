// The `link` source: RTT, jitter, loss and reachability of each target (the
// SFU, the backup point, the ISP's edge) from a UDP echo exchange with the
// echo responder there.
//
// Each target gets its own UDP socket that sends a 24-byte datagram
// (session, sequence number, send time: see echo/packet.ts) `packetsPerSecond`
// times a second. Every `intervalMs` one sample per target describes the
// datagrams sent in the last `windowMs`, leaving out the newest
// `replyTimeoutMs` (their replies may still be on the way; a later reply counts
// as lost). Sequence numbers tell lost datagrams (no reply) from duplicated
// replies (counted once). The arithmetic is in link-stats.ts.
//
// When no echo came back in the window: `reachable` false and loss 100, unless
// the target has an HTTP URL that answers: then `reachable` true with the HTTP
// round trip as rtt_ms (the host is up; its UDP echo is not getting through).
//
// Bandwidth (`up_kbps`, `down_kbps`) is not measured continuously: the agent
// asks for it on SIGUSR2 (and at start when configured), as a short transfer
// against the responder's TCP side (echo/bandwidth.ts), with the site's probe
// token. A refused test (a bad token, a test of the site already running, too
// many this minute) is logged with the responder's reason and gives no sample.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ProbeSample } from '@noc/shared/metrics';
import { LINK_TARGETS, type AgentConfig, type LinkTarget, type TargetConfig } from '../agent/config.ts';
import { errorMessage, type Logger } from '../agent/log.ts';
import { measureBandwidth } from '../echo/bandwidth.ts';
import { BandwidthRefusedError } from '../echo/bandwidth-protocol.ts';
import { decodeEchoPacket, encodeEchoPacket } from '../echo/packet.ts';
import { windowStats, type EchoRecord } from './link-stats.ts';
import type { Source, SourceContext, SourcePlugin } from './source.ts';

type LinkSettings = AgentConfig['link'];
type LinkSample = Extract<ProbeSample, { measurement: 'link' }>;

const BANDWIDTH_TIMEOUT_MS = 60_000;

/** The echo exchange with one target. */
class TargetProbe {
  readonly target: LinkTarget;
  readonly config: TargetConfig;
  #settings: LinkSettings;
  #log: Logger;
  #socket: dgram.Socket;
  #session = randomInt(2 ** 32);
  #seq = 0;
  /** Sent datagrams, in send order (consecutive sequence numbers). */
  #records: EchoRecord[] = [];
  #timer: NodeJS.Timeout;

  constructor(target: LinkTarget, config: TargetConfig, settings: LinkSettings, log: Logger) {
    this.target = target;
    this.config = config;
    this.#settings = settings;
    this.#log = log;
    this.#socket = dgram.createSocket(net.isIPv6(config.echo.host) ? 'udp6' : 'udp4');
    this.#socket.on('message', (msg) => this.#onReply(msg));
    // An unconnected UDP socket rarely errors; if it does, the window shows the loss.
    this.#socket.on('error', (err) => log.changed(`socket:${target}`, 'warn', `${this.#label}: UDP socket error: ${err.message}`));
    this.#timer = setInterval(() => this.#send(), 1000 / settings.packetsPerSecond);
    this.#send();
  }

  get #label(): string {
    return `${this.target} ${this.config.echo.host}:${this.config.echo.port}`;
  }

  #send(): void {
    const record: EchoRecord = { seq: ++this.#seq, sentAt: performance.now(), rttMs: null };
    this.#records.push(record);
    const packet = encodeEchoPacket({ session: this.#session, seq: record.seq, sentAt: record.sentAt });
    this.#socket.send(packet, this.config.echo.port, this.config.echo.host, (err) => {
      if (err) this.#log.changed(`send:${this.target}`, 'warn', `${this.#label}: cannot send the echo datagram: ${err.message}`);
      else this.#log.clear(`send:${this.target}`);
    });
  }

  #onReply(msg: Buffer): void {
    const now = performance.now();
    const packet = decodeEchoPacket(msg);
    if (!packet || packet.session !== this.#session) return;
    const first = this.#records[0];
    if (!first) return;
    const record = this.#records[packet.seq - first.seq];
    if (!record || record.seq !== packet.seq || record.rttMs !== null) return; // unknown, pruned or a duplicate
    const rtt = now - record.sentAt;
    if (rtt <= this.#settings.replyTimeoutMs) record.rttMs = rtt;
  }

  /** The sample for the current window; null while no datagram is old enough to judge. */
  async sample(): Promise<LinkSample | null> {
    const { windowMs, replyTimeoutMs } = this.#settings;
    const now = performance.now();
    const newest = now - replyTimeoutMs;
    const oldest = newest - windowMs;
    // Keep one window more than needed; nothing older is ever looked at again.
    let drop = 0;
    while (drop < this.#records.length && (this.#records[drop] as EchoRecord).sentAt < oldest - windowMs) drop++;
    if (drop > 0) this.#records.splice(0, drop);
    const stats = windowStats(this.#records.filter((r) => r.sentAt > oldest && r.sentAt <= newest));
    if (!stats) return null;
    const tags = { target: this.target };
    if (stats.answered > 0) {
      this.#log.changed(`reach:${this.target}`, 'info', `${this.#label}: answering the echo`);
      const fields: LinkSample['fields'] = { rtt_ms: stats.rttMs ?? 0, loss_pct: stats.lossPct, reachable: true };
      if (stats.jitterMs !== null) fields.jitter_ms = stats.jitterMs;
      return { measurement: 'link', tags, fields };
    }
    // No counts in the text: it is logged only when it changes.
    const silence = `${this.#label}: no echo reply for ${windowMs} ms`;
    if (this.config.http) {
      try {
        const rtt = await httpRoundTrip(this.config.http, this.#settings.httpTimeoutMs);
        this.#log.changed(
          `reach:${this.target}`,
          'warn',
          `${silence}; ${this.config.http} answers, so it is reported reachable with the HTTP round trip`,
        );
        return { measurement: 'link', tags, fields: { rtt_ms: rtt, loss_pct: 100, reachable: true } };
      } catch (err) {
        this.#log.changed(
          `reach:${this.target}`,
          'warn',
          `${silence}, and ${this.config.http} does not answer (${errorMessage(err)}): unreachable`,
        );
      }
    } else {
      this.#log.changed(`reach:${this.target}`, 'warn', `${silence}: unreachable`);
    }
    return { measurement: 'link', tags, fields: { loss_pct: 100, reachable: false } };
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}

/** Time to the response headers of a GET (any status: the server answered). */
async function httpRoundTrip(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { method: 'GET', redirect: 'manual', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
  const rtt = performance.now() - started;
  await res.body?.cancel();
  return Math.round(rtt * 100) / 100;
}

export class LinkSource implements Source {
  readonly name = 'link';
  readonly intervalMs: number;
  #probes: TargetProbe[];
  #settings: LinkSettings;
  #token: string;
  #log: Logger;

  constructor(ctx: SourceContext) {
    this.#settings = ctx.config.link;
    this.#token = ctx.config.token;
    this.#log = ctx.log;
    this.intervalMs = this.#settings.intervalMs;
    const targets = ctx.config.targets;
    this.#probes = LINK_TARGETS.flatMap((t) => {
      const config = targets[t];
      return config ? [new TargetProbe(t, config, this.#settings, ctx.log)] : [];
    });
  }

  async collect(): Promise<ProbeSample[]> {
    const samples = await Promise.all(this.#probes.map((p) => p.sample()));
    return samples.filter((s): s is LinkSample => s !== null);
  }

  /** A bandwidth test against each target's responder, one after another. */
  async measureOnDemand(signal: AbortSignal): Promise<ProbeSample[]> {
    const samples: ProbeSample[] = [];
    for (const probe of this.#probes) {
      if (signal.aborted) break;
      const { host, port } = probe.config.echo;
      try {
        const r = await measureBandwidth({
          host,
          port,
          bytes: this.#settings.bandwidthBytes,
          token: this.#token,
          timeoutMs: BANDWIDTH_TIMEOUT_MS,
          signal,
        });
        this.#log.info(`${probe.target} ${host}:${port}: bandwidth up ${r.upKbps} kbps, down ${r.downKbps} kbps`);
        samples.push({ measurement: 'link', tags: { target: probe.target }, fields: { up_kbps: r.upKbps, down_kbps: r.downKbps } });
      } catch (err) {
        if (err instanceof BandwidthRefusedError) {
          this.#log.warn(`${probe.target} ${host}:${port}: bandwidth test ${err.message}`);
          continue;
        }
        this.#log.warn(`${probe.target} ${host}:${port}: bandwidth test failed: ${errorMessage(err)}`);
      }
    }
    return samples;
  }

  async close(): Promise<void> {
    await Promise.all(this.#probes.map((p) => p.close()));
  }
}

export const linkPlugin: SourcePlugin = {
  name: 'link',
  enabled: () => true,
  create: async (ctx) => new LinkSource(ctx),
};
