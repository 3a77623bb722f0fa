// Every generated dashboard, by the file it is written to under dashboards/.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { capacityTests } from './dashboards/capacity.ts';
import { overview } from './dashboards/overview.ts';
import { powerRoom } from './dashboards/power-room.ts';
import { sfuNodes } from './dashboards/sfu-nodes.ts';
import { site } from './dashboards/site.ts';

export const DASHBOARDS: Record<string, () => Dashboard> = {
  'noc-overview.json': overview,
  'noc-site.json': site,
  'noc-sfu.json': sfuNodes,
  'noc-power-room.json': powerRoom,
  'noc-capacity.json': capacityTests,
};

/** Each dashboard as the JSON file holds it (two-space indents, a final newline). */
export function renderDashboards(): Map<string, string> {
  return new Map(Object.entries(DASHBOARDS).map(([file, make]) => [file, `${JSON.stringify(make(), null, 2)}\n`]));
}
