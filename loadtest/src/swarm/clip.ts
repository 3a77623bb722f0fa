// The test clip the publishers loop: encoded once (VP8 + Opus in WebM) and
// cached, so that at run time ffmpeg only copies packets into RTP (no encoding).
// The site publishers of a load test and `npm run bench:sfu` share it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClipSpec {
  width: number;
  height: number;
  fps: number;
  videoKbps: number;
  /** Seconds between VP8 keyframes. */
  keyframeSeconds: number;
  audioKbps: number;
  /** Length of the clip; it is looped with `-stream_loop -1`. */
  seconds: number;
}

export const DEFAULT_CLIP: ClipSpec = {
  width: 640,
  height: 360,
  fps: 15,
  videoKbps: 500,
  keyframeSeconds: 2,
  audioKbps: 48,
  seconds: 10,
};

/**
 * What a room PC's camera sends in a capacity test: 30 frames a second, so a
 * Chromium endpoint's frame rate can be held to the 15 fps threshold with room
 * to spare, and a keyframe every second, as a WebRTC sender answers a new
 * receiver's keyframe request at once and ffmpeg answers none.
 */
export const ROOM_CLIP: ClipSpec = { ...DEFAULT_CLIP, fps: 30, keyframeSeconds: 1 };

/** `$NOC_CACHE/bench` when the project's env is sourced, a temp folder otherwise. */
export function clipCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.NOC_CACHE ? join(env.NOC_CACHE, 'bench') : join(tmpdir(), 'noc-sfu-bench');
}

function clipName(spec: ClipSpec): string {
  const { width, height, fps, videoKbps, keyframeSeconds, audioKbps, seconds } = spec;
  return `clip-vp8-${width}x${height}-${fps}fps-${videoKbps}k-kf${keyframeSeconds}s-opus${audioKbps}k-${seconds}s.webm`;
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`failed to start ${command}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

/**
 * Path of the cached clip, encoding it first when it is not there yet. Encoding
 * writes to a temporary name and renames, so an interrupted run leaves no
 * half-written clip behind.
 */
export async function ensureClip(
  ffmpeg: string,
  spec: ClipSpec = DEFAULT_CLIP,
  dir = clipCacheDir(),
): Promise<{ path: string; encoded: boolean }> {
  const path = join(dir, clipName(spec));
  if (existsSync(path)) return { path, encoded: false };
  mkdirSync(dir, { recursive: true });
  const partial = `${path}.${process.pid}.partial.webm`;
  const kbps = `${spec.videoKbps}k`;
  const gop = String(spec.fps * spec.keyframeSeconds);
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps}`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    String(spec.seconds),
    '-map',
    '0:v:0',
    '-c:v',
    'libvpx',
    '-pix_fmt',
    'yuv420p',
    '-b:v',
    kbps,
    '-minrate',
    kbps,
    '-maxrate',
    kbps,
    '-g',
    gop,
    '-keyint_min',
    gop,
    '-auto-alt-ref',
    '0',
    '-lag-in-frames',
    '0',
    '-deadline',
    'good',
    '-cpu-used',
    '4',
    '-map',
    '1:a:0',
    '-c:a',
    'libopus',
    '-b:a',
    `${spec.audioKbps}k`,
    '-ar',
    '48000',
    '-ac',
    '2',
    '-frame_duration',
    '20',
    partial,
  ];
  try {
    await run(ffmpeg, args, 120_000);
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
  return { path, encoded: true };
}
