// The benchmark's and tests' view into the wall: for every `samples` event, how
// long after the gateway accepted the samples the wall had drawn them (the store
// updated, Vue's DOM patched and one frame painted), read as
// `window.__nocWall.drawDelays`; and where the topology drew its points and
// names, `window.__nocWall.topology()`.
import { nextTick } from 'vue';
import type { LiveSample } from '@noc/shared/live';

export const DRAW_DELAYS_KEEP = 5000;

/** A box in CSS pixels from the chart's top left. */
export interface ProbeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the topology chart drew each point and its name (read back from the chart's own elements). */
export interface TopologyDrawn {
  /** The wall's scale (screen pixels per design pixel) the chart was last laid out for. */
  scale: number;
  width: number;
  height: number;
  nodes: { id: string; hub: boolean; symbol: ProbeBox; label: ProbeBox | null }[];
}

export interface WallProbe {
  /** ms from the gateway's `receivedAt` (the batch's earliest) to the frame that shows it; the last 5000. */
  drawDelays: number[];
  /** The topology as drawn, for tests that check no name is cut or covers a hub. */
  topology?: () => TopologyDrawn | null;
}

declare global {
  interface Window {
    __nocWall?: WallProbe;
  }
}

export function probe(): WallProbe {
  return (window.__nocWall ??= { drawDelays: [] });
}

/** Call right after the store took the samples. */
export async function recordDrawDelay(samples: readonly LiveSample[]): Promise<void> {
  // The largest delay of the batch: from its earliest arrival.
  let received = Infinity;
  for (const s of samples) if (typeof s.receivedAt === 'number' && s.receivedAt < received) received = s.receivedAt;
  if (received === Infinity) return;
  await nextTick();
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  const delays = probe().drawDelays;
  delays.push(Date.now() - received);
  if (delays.length > DRAW_DELAYS_KEEP) delays.splice(0, delays.length - DRAW_DELAYS_KEEP);
}

/** Makes the hook visible before the first event, so a benchmark can wait for it. */
export function installWallProbe(): void {
  probe();
}
