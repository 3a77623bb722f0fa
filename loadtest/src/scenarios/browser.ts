// Artillery processor of the Chromium endpoints (loadtest/scenarios/browser.yml,
// Artillery's Playwright engine): each virtual user is the room page of one of
// the plan's browser sites, opened with that site's token, watched by
// runRoomEndpoint (first picture, frame rate, freezes, audio jitter) until the
// run ends; the figures go to the runner every 2 s.
import { runRoomEndpoint, type RoomEndpointPage } from '../browser/room-endpoint.ts';
import { FigureSender } from '../figure-datagram.ts';
import { readPlan } from '../plan.ts';
import { waitForClock } from '../run-clock.ts';
import { claimNumber } from '../vu/claim.ts';
import type { VuContext, VuEvents } from './artillery-types.ts';

const plan = readPlan();
const figures = new FigureSender(plan.figuresPort);
figures.send({ k: 'ready', pid: process.pid });

export async function roomEndpoint(page: RoomEndpointPage, _context: VuContext, events: VuEvents): Promise<void> {
  const site = plan.browserSites[claimNumber(plan.claimDir, 'browser')];
  if (!site) return;
  const { endsAt } = await waitForClock(plan.clockFile);
  const url = `${plan.nocUrl}/room?token=${encodeURIComponent(plan.tokens.site[site]!)}`;
  const result = await runRoomEndpoint(page, url, {
    durationMs: Math.max(1000, endsAt - Date.now()),
    onFigures(f) {
      figures.send({
        k: 'browser',
        site,
        fps: f.fps,
        firstPictureMs: f.firstPictureMs,
        freezeMaxMs: f.freezeMaxMs,
        audioJitterMs: f.audioJitterMs,
      });
    },
  });
  figures.send({
    k: 'browser',
    site,
    fps: result.fps,
    firstPictureMs: result.firstPictureMs,
    freezeMaxMs: result.freezeMaxMs,
    audioJitterMs: result.audioJitterMs,
    final: true,
  });
  if (result.firstPictureMs !== null) events.emit('histogram', 'noc.browser.first_picture_ms', result.firstPictureMs);
  if (result.fps !== null) events.emit('histogram', 'noc.browser.fps', result.fps);
  events.emit('histogram', 'noc.browser.freeze_max_ms', result.freezeMaxMs);
}
