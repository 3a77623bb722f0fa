// The Chromium endpoint of a capacity test: a real room page, opened with a
// site's token, watched for what a person in that room would see. It measures
// the time from the navigation to the first picture of another site, the frame
// rate of the largest remote video shown and the freezes (more than a second
// between two frames) of every remote video, and the jitter of the audio it
// receives, read from the page's own RTCPeerConnections (page-watch.ts keeps
// them). It drives any page with goto, addInitScript and evaluate of a string:
// Playwright's (playwright-core, or Artillery's Playwright engine) fits.
import { PAGE_WATCH_GLOBAL, PAGE_WATCH_SCRIPT, type PageReading } from './page-watch.ts';

export interface RoomEndpointFigures {
  /** ms from the start of the navigation to the first decoded picture of a remote video; null before one. */
  firstPictureMs: number | null;
  /**
   * Frames per second of the largest remote video shown: in `onFigures`, over
   * the period since the previous report; in the result, over the whole time
   * since that video's first frame. Null while no remote picture is shown.
   */
  fps: number | null;
  /** Gaps of more than a second between two frames, over every remote video, since the page opened. */
  freezeCount: number;
  /** The longest of those gaps (one still going on counts as far as it got), ms; 0 without one. */
  freezeMaxMs: number;
  /**
   * Jitter of the received audio, the highest of its streams, ms: in
   * `onFigures` as read now, in the result the highest read during the run.
   * Null while no audio arrives (a room hears only the site that has the floor).
   */
  audioJitterMs: number | null;
}

/** The part of a browser page the endpoint uses (Playwright's `Page` has it). */
export interface RoomEndpointPage {
  addInitScript(script: string): Promise<unknown>;
  goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded' | 'commit'; timeout?: number }): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
}

export interface RoomEndpointOptions {
  /** How long to stay in the room after the navigation started, ms. */
  durationMs: number;
  /** The figures so far, every `reportEveryMs`. */
  onFigures(figures: RoomEndpointFigures): void;
  /** Leaves early: the result is then the figures up to that moment. */
  signal?: AbortSignal;
  /** How often `onFigures` is called (default 2000 ms). */
  reportEveryMs?: number;
  /** How long the navigation may take (default 30 s). */
  navigationTimeoutMs?: number;
}

export const DEFAULT_REPORT_EVERY_MS = 2000;

function checkOptions(roomUrl: string, o: RoomEndpointOptions): void {
  let url: URL;
  try {
    url = new URL(roomUrl);
  } catch {
    throw new Error(`room endpoint: the room URL "${roomUrl}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`room endpoint: the room URL must be http or https, not "${url.protocol}"`);
  }
  if (!Number.isFinite(o.durationMs) || o.durationMs <= 0) {
    throw new Error(`room endpoint: durationMs must be a positive number of ms, not ${o.durationMs}`);
  }
  const every = o.reportEveryMs ?? DEFAULT_REPORT_EVERY_MS;
  if (!Number.isFinite(every) || every < 100) {
    throw new Error(`room endpoint: reportEveryMs must be at least 100 ms, not ${every}`);
  }
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

async function read(page: RoomEndpointPage): Promise<PageReading> {
  const reading = (await page.evaluate(`window.${PAGE_WATCH_GLOBAL}.read()`)) as PageReading | undefined;
  if (!reading) throw new Error('room endpoint: the page watch is not in the page (did the navigation leave the room page?)');
  return reading;
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Opens the room page at `roomUrl` (with a site's `?token=`) in `page`, stays
 * `durationMs`, reports the figures every `reportEveryMs`, and answers the
 * figures of the whole stay. The page is left open: closing it is the caller's.
 */
export async function runRoomEndpoint(page: RoomEndpointPage, roomUrl: string, o: RoomEndpointOptions): Promise<RoomEndpointFigures> {
  checkOptions(roomUrl, o);
  const every = o.reportEveryMs ?? DEFAULT_REPORT_EVERY_MS;
  const started = Date.now();
  await page.addInitScript(PAGE_WATCH_SCRIPT);
  await page.goto(roomUrl, { waitUntil: 'domcontentloaded', timeout: o.navigationTimeoutMs ?? 30_000 });
  const seen: { last: PageReading | null; worstJitter: number | null } = { last: null, worstJitter: null };
  const note = (r: PageReading): PageReading => {
    if (r.audioJitterMs !== null) seen.worstJitter = Math.max(seen.worstJitter ?? 0, r.audioJitterMs);
    seen.last = r;
    return r;
  };
  while (!o.signal?.aborted) {
    const left = started + o.durationMs - Date.now();
    if (left <= 0) break;
    await pause(Math.min(every, left), o.signal);
    if (o.signal?.aborted || Date.now() >= started + o.durationMs) break;
    const r = note(await read(page));
    o.onFigures({
      firstPictureMs: r.firstPictureMs === null ? null : Math.round(r.firstPictureMs),
      fps: r.main && r.main.msSinceRead > 0 ? round1((1000 * r.main.framesSinceRead) / r.main.msSinceRead) : null,
      freezeCount: r.freezeCount,
      freezeMaxMs: Math.round(r.freezeMaxMs),
      audioJitterMs: r.audioJitterMs === null ? null : round1(r.audioJitterMs),
    });
  }
  let end: PageReading;
  try {
    end = note(await read(page));
  } catch (err) {
    // Stopped early with the page already gone: the figures of the last report stand.
    if (!o.signal?.aborted || !seen.last) throw err;
    end = seen.last;
  }
  return {
    firstPictureMs: end.firstPictureMs === null ? null : Math.round(end.firstPictureMs),
    fps: end.main && end.main.msSinceFirst > 0 ? round1((1000 * end.main.frames) / end.main.msSinceFirst) : null,
    freezeCount: end.freezeCount,
    freezeMaxMs: Math.round(end.freezeMaxMs),
    audioJitterMs: seen.worstJitter === null ? null : round1(seen.worstJitter),
  };
}
