// What a Chromium endpoint of a capacity test runs inside the room page, as an
// init script (it runs before the page's own scripts, at every navigation):
// it keeps every RTCPeerConnection the page makes, so their getStats() can be
// read, and follows every remote video the page shows (the tiles of the other
// sites, `figure[data-tile-site]` without `.self`) with
// requestVideoFrameCallback: the first frame shown, frames counted, and gaps
// of more than a second between two frames (freezes). Times are the page's
// performance.now(), ms since the navigation started.
//
// It is plain JavaScript in a string: Playwright sends it to the page as it
// is, so no compiler's helpers can slip into it.

/** What `window.__nocRoomWatch.read()` answers in the page. */
export interface PageReading {
  /** ms since the navigation started. */
  now: number;
  /** When the first frame of a remote video was shown, ms since the navigation started. */
  firstPictureMs: number | null;
  /** The largest remote video shown: frames since the last read and since its first frame. */
  main: { framesSinceRead: number; msSinceRead: number; frames: number; msSinceFirst: number } | null;
  /** Gaps of more than FREEZE_GAP_MS between two frames (or since the last one) over every remote video. */
  freezeCount: number;
  freezeMaxMs: number;
  /** Highest jitter of the received audio streams carrying packets, ms; null without one. */
  audioJitterMs: number | null;
}

/** A gap between two frames longer than this is a freeze. */
export const FREEZE_GAP_MS = 1000;

/** Where the script keeps its state in the page. */
export const PAGE_WATCH_GLOBAL = '__nocRoomWatch';

/** The init script. It does nothing in frames other than the top one, or a second time in the same document. */
export const PAGE_WATCH_SCRIPT = `(() => {
  if (window.top !== window || window.${PAGE_WATCH_GLOBAL}) return;
  const FREEZE_GAP_MS = ${FREEZE_GAP_MS};
  const pcs = [];
  const videos = new Map();
  const state = { firstPictureMs: null, freezeCount: 0, freezeMaxMs: 0 };
  const Native = window.RTCPeerConnection;
  if (Native) {
    window.RTCPeerConnection = new Proxy(Native, {
      construct(target, args, newTarget) {
        const pc = Reflect.construct(target, args, newTarget);
        pcs.push(pc);
        return pc;
      },
    });
  }
  function gap(entry, ms) {
    if (ms <= FREEZE_GAP_MS) return;
    if (!entry.freezeCounted) state.freezeCount++;
    entry.freezeCounted = true;
    state.freezeMaxMs = Math.max(state.freezeMaxMs, ms);
  }
  function follow(video) {
    if (videos.has(video) || typeof video.requestVideoFrameCallback !== 'function') return;
    const entry = { frames: 0, firstAt: null, lastAt: null, readFrames: 0, readAt: performance.now(), freezeCounted: false };
    videos.set(video, entry);
    const onFrame = (now) => {
      if (!videos.has(video)) return;
      if (entry.lastAt === null) {
        entry.firstAt = now;
        entry.readAt = now;
        if (state.firstPictureMs === null) state.firstPictureMs = now;
      } else {
        gap(entry, now - entry.lastAt);
      }
      entry.freezeCounted = false;
      entry.lastAt = now;
      entry.frames++;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }
  const shown = (video) => video.isConnected && video.srcObject !== null;
  function scan() {
    for (const video of document.querySelectorAll('figure[data-tile-site]:not(.self) video')) follow(video);
    for (const video of videos.keys()) if (!video.isConnected) videos.delete(video);
  }
  setInterval(scan, 100);
  async function audioJitterMs() {
    let worst = null;
    for (const pc of pcs.slice()) {
      if (pc.signalingState === 'closed') {
        pcs.splice(pcs.indexOf(pc), 1);
        continue;
      }
      let report;
      try {
        report = await pc.getStats();
      } catch {
        continue;
      }
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio' && s.packetsReceived > 0 && typeof s.jitter === 'number') {
          worst = Math.max(worst ?? 0, s.jitter * 1000);
        }
      });
    }
    return worst;
  }
  async function read() {
    scan();
    const now = performance.now();
    let main = null;
    let mainArea = -1;
    for (const [video, entry] of videos) {
      if (!shown(video)) continue;
      if (entry.lastAt !== null) gap(entry, now - entry.lastAt);
      const box = video.getBoundingClientRect();
      const area = box.width * box.height;
      if (entry.firstAt !== null && area > mainArea) {
        mainArea = area;
        main = {
          framesSinceRead: entry.frames - entry.readFrames,
          msSinceRead: now - entry.readAt,
          frames: entry.frames,
          msSinceFirst: now - entry.firstAt,
        };
      }
    }
    for (const entry of videos.values()) {
      entry.readFrames = entry.frames;
      entry.readAt = now;
    }
    return {
      now,
      firstPictureMs: state.firstPictureMs,
      main,
      freezeCount: state.freezeCount,
      freezeMaxMs: state.freezeMaxMs,
      audioJitterMs: await audioJitterMs(),
    };
  }
  window.${PAGE_WATCH_GLOBAL} = { read };
})();`;
