// Which simulcast layer of a site's camera each receiver gets, from the layout
// it shows: the camera it shows large on the high layer, every other camera (a
// grid tile) on the low one. While a site presents content, the content takes
// the large frame and every camera is a tile.
//
// The chosen layer is the most a receiver gets: mediasoup forwards a lower one
// when the receiver's bandwidth estimate (transport-cc feedback from its
// browser) does not carry it. It hands that estimate out one layer step at a
// time, highest priority first, and a consumer of priority p takes up to p
// steps per round; with LARGE_PRIORITY the large picture climbs to its high
// layer before any tile climbs past its lowest step, so when the estimate falls
// the tiles lose their frame rate first and the large picture its layer last.
import { featuredCamera, type MeetingState } from '@noc/shared/meeting';

export const LOW_LAYER = 0;
export const LARGE_PRIORITY = 10;
export const TILE_PRIORITY = 1;

export interface LayerChoice {
  spatialLayer: number;
  priority: number;
}

export interface CameraView {
  state: Pick<MeetingState, 'layout' | 'floor' | 'invitedSites'>;
  /** Sites that send a camera picture now. */
  cameras: ReadonlySet<string>;
  /** A site presents content (it is shown large instead of any camera). */
  content: boolean;
}

/**
 * The layer and priority of `site`'s camera for a receiver whose own site is
 * `self` (null for a seat or the control centre, which show no camera of their
 * own), when the camera sends `layers` spatial layers.
 */
export function cameraLayer(view: CameraView, self: string | null, site: string, layers: number): LayerChoice {
  const large = !view.content && featuredCamera(view.state, self, (s) => view.cameras.has(s)) === site;
  return large
    ? { spatialLayer: Math.max(LOW_LAYER, layers - 1), priority: LARGE_PRIORITY }
    : { spatialLayer: LOW_LAYER, priority: TILE_PRIORITY };
}
