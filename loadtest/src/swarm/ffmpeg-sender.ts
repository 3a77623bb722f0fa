// One ffmpeg process that loops the clip (clip.ts) and copies its packets into
// RTP, with no encoding: `-re -stream_loop -1 -i clip -c copy -f rtp`, one RTP
// output per stream, each with the SSRC and payload type its producer expects.
// It stops with SIGTERM, then SIGKILL, and by itself after `maxSeconds`.
import { ManagedProcess } from '@noc/shared/child-process';

export const DEFAULT_FFMPEG = '/usr/bin/ffmpeg';

/** One RTP output: a stream of the clip sent to host:port. */
export interface RtpOutput {
  kind: 'video' | 'audio';
  host: string;
  port: number;
  /** ffmpeg's -ssrc is a signed 32-bit option: 1 … 2^31 − 1. */
  ssrc: number;
  payloadType: number;
}

export interface FfmpegSenderOptions {
  clipFile: string;
  outputs: readonly RtpOutput[];
  /** The ffmpeg binary ($FFMPEG_BIN, else /usr/bin/ffmpeg). */
  ffmpegBin?: string | undefined;
  /** A safety stop (`-t`): ffmpeg ends by itself after this many seconds, whatever happens to its parent. */
  maxSeconds: number;
  /** A name for messages. */
  name?: string | undefined;
  /** RTP packet size in bytes (1200, as WebRTC endpoints send). */
  packetSize?: number | undefined;
}

function checkOutput(o: RtpOutput, i: number): void {
  const where = `outputs[${i}]`;
  if (o.kind !== 'video' && o.kind !== 'audio') throw new Error(`${where}.kind must be video or audio, not ${String(o.kind)}`);
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new Error(`${where}.port ${o.port} is not a UDP port`);
  if (!Number.isInteger(o.ssrc) || o.ssrc < 1 || o.ssrc >= 2 ** 31) throw new Error(`${where}.ssrc ${o.ssrc} is not 1 … 2^31 − 1`);
  if (!Number.isInteger(o.payloadType) || o.payloadType < 96 || o.payloadType > 127) {
    throw new Error(`${where}.payloadType ${o.payloadType} is not a dynamic payload type (96–127)`);
  }
}

/** ffmpeg's arguments for these outputs (exported for its test and for reading). */
export function ffmpegArgs(opts: FfmpegSenderOptions): string[] {
  if (opts.outputs.length === 0) throw new Error('an ffmpeg sender needs at least one RTP output');
  opts.outputs.forEach(checkOutput);
  if (!(opts.maxSeconds > 0)) throw new Error(`maxSeconds must be positive, not ${opts.maxSeconds}`);
  const packetSize = opts.packetSize ?? 1200;
  // -sdp_file: the SDP ffmpeg would print on stdout is of no use here.
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-sdp_file',
    '/dev/null',
    '-re',
    '-stream_loop',
    '-1',
    '-i',
    opts.clipFile,
  ];
  for (const o of opts.outputs) {
    const host = o.host.includes(':') ? `[${o.host}]` : o.host;
    args.push(
      '-map',
      o.kind === 'video' ? '0:v:0' : '0:a:0',
      '-c',
      'copy',
      '-t',
      String(Math.ceil(opts.maxSeconds)),
      '-f',
      'rtp',
      '-ssrc',
      String(o.ssrc),
      '-payload_type',
      String(o.payloadType),
      '-rtpflags',
      'skip_rtcp',
      `rtp://${host}:${o.port}?pkt_size=${packetSize}`,
    );
  }
  return args;
}

export class FfmpegSender {
  readonly process: ManagedProcess;

  private constructor(process: ManagedProcess) {
    this.process = process;
  }

  static start(opts: FfmpegSenderOptions): FfmpegSender {
    const args = ffmpegArgs(opts);
    const command = opts.ffmpegBin ?? process.env.FFMPEG_BIN ?? DEFAULT_FFMPEG;
    return new FfmpegSender(ManagedProcess.start({ name: opts.name ?? 'ffmpeg', command, args, quiet: true }));
  }

  get running(): boolean {
    return this.process.running;
  }

  get pid(): number | undefined {
    return this.process.child.pid;
  }

  /** Why it is not running, with its last lines; null while it runs. */
  failure(): string | null {
    if (this.running) return null;
    const how = this.process.child.exitCode ?? this.process.child.signalCode ?? 'unknown';
    return `${this.process.name} (ffmpeg) stopped (${how})${this.process.tail ? `:\n${this.process.tail}` : ''}`;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs = 2000): Promise<void> {
    return this.process.stop(graceMs);
  }

  /** SIGKILL at once (a last resort). */
  kill(): void {
    if (this.running) this.process.child.kill('SIGKILL');
  }
}
