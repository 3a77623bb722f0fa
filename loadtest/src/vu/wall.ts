// A wall screen as the load test plays it: it signs in with the run's display
// token (`POST /api/auth/display`), opens the live feed (`/api/live`) with the
// session cookie and holds it until the run ends, counting the events it
// receives and the delay of each `samples` event's samples (arrival minus the
// sample's time). Every couple of seconds it reports to the runner.
import type { LiveEvent } from '@noc/shared/live';
import type { FigureSink } from '../figure-datagram.ts';
import { pause } from './until.ts';

const REPORT_EVERY_MS = 2000;
/** A feed that closes before the end is opened again after this long. */
const REOPEN_AFTER_MS = 1000;

export interface WallClient {
  id: string;
  nocUrl: string;
  displayToken: string;
  endsAt: number;
  signal?: AbortSignal;
}

/** The session cookie a display token signs in to; an error naming the answer when it is refused. */
export async function signInWall(nocUrl: string, displayToken: string): Promise<string> {
  const res = await fetch(`${nocUrl}/api/auth/display`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: displayToken }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`the wall's display sign-in was refused (${res.status}): ${text.slice(0, 200)}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  if (!cookie) throw new Error('the display sign-in answered no session cookie');
  return cookie;
}

/** Holds the live feed until `endsAt` (or the signal); resolves then, after its last report. */
export async function runWall(wall: WallClient, figures: FigureSink): Promise<void> {
  const cookie = await signInWall(wall.nocUrl, wall.displayToken);
  const url = `${wall.nocUrl.replace(/^http/, 'ws')}/api/live`;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  wall.signal?.addEventListener('abort', onAbort);
  const timer = setTimeout(() => stop.abort(), Math.max(0, wall.endsAt - Date.now()));
  let socket: WebSocket | null = null;
  let connected = false;
  let events = 0;
  let delaysMs: number[] = [];
  const report = () => {
    figures.send({ k: 'wall', id: wall.id, connected, events, delaysMs });
    events = 0;
    delaysMs = [];
  };
  const open = () => {
    // Node's WebSocket (undici) takes headers beside the protocols.
    const ws = new WebSocket(url, { headers: { cookie } });
    socket = ws;
    ws.addEventListener('open', () => (connected = true));
    ws.addEventListener('message', (e: MessageEvent) => {
      const now = Date.now();
      events++;
      const event = JSON.parse(String(e.data)) as LiveEvent;
      if (event.type === 'samples') for (const s of event.samples) delaysMs.push(Math.max(0, now - s.time));
    });
    ws.addEventListener('close', () => {
      connected = false;
      if (stop.signal.aborted) return;
      setTimeout(() => {
        if (!stop.signal.aborted) open();
      }, REOPEN_AFTER_MS).unref();
    });
  };
  try {
    open();
    while (!stop.signal.aborted) {
      await pause(REPORT_EVERY_MS, stop.signal);
      report();
    }
  } finally {
    clearTimeout(timer);
    wall.signal?.removeEventListener('abort', onAbort);
    (socket as WebSocket | null)?.close();
    connected = false;
    report();
  }
}
