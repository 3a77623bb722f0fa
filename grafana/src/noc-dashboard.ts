// A NOC dashboard: stable uid, the NOC's time zone, the last hour refreshed
// every 30 s, a shared crosshair, and its panels numbered in order (Grafana
// needs each panel's id unique within its dashboard).
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import {
  DashboardBuilder,
  DashboardCursorSync,
  RowBuilder,
  type Dashboard,
  type Panel,
  type RowPanel,
  type VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { NOC_TIME_ZONE } from '@noc/shared/zoned-time';

type Numbered<T> = Builder<T> & { id(id: number): unknown };

export interface NocDashboardSpec {
  uid: string;
  /** Vietnamese first, English after a middle dot. */
  title: string;
  description: string;
  variables?: Builder<VariableModel>[];
  /** Rows and panels, top to bottom. */
  panels: (Numbered<Panel> | RowBuilder)[];
}

/** The tag every generated dashboard carries. */
export const NOC_TAG = 'noc';

export function nocDashboard(spec: NocDashboardSpec): Dashboard {
  const d = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([NOC_TAG])
    .timezone(NOC_TIME_ZONE)
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly();
  for (const v of spec.variables ?? []) d.withVariable(v);
  spec.panels.forEach((p, i) => {
    p.id(i + 1);
    if (p instanceof RowBuilder) d.withRow(p as Builder<RowPanel>);
    else d.withPanel(p);
  });
  return d.build();
}
