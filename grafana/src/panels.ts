// The three kinds of panel the dashboards use, set up the NOC's way: a time
// series, a stat per series and a table, each with its thresholds and colours.
// A panel's title is Vietnamese (what the operators read); its description
// says the same in English.
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import {
  BigValueColorMode,
  BigValueGraphMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  ReduceDataOptionsBuilder,
  TableCellDisplayMode,
  type DataSourceRef,
} from '@grafana/grafana-foundation-sdk/common';
import {
  FieldColorBuilder,
  FieldColorModeId,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type DynamicConfigValue,
  type Threshold,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

export interface PanelText {
  /** Vietnamese, as the operators read it. */
  title: string;
  /** The same in English, and what the panel draws. */
  description: string;
}

export interface PanelLook {
  unit?: string;
  min?: number;
  max?: number;
  decimals?: number;
  steps?: Threshold[];
  mappings?: ValueMapping[];
  /** Grid width (of 24) and height. */
  w?: number;
  h?: number;
}

type Target = Builder<Dataquery>;

/** The panel's datasource: its first query's (a panel's queries share one). */
function datasourceOf(targets: Target[]): DataSourceRef {
  const ds = (targets[0]?.build() as { datasource?: DataSourceRef } | undefined)?.datasource;
  if (!ds) throw new Error('a panel needs at least one query with its datasource');
  return ds;
}

const thresholds = (steps: Threshold[]) => new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);

/** Lines over time; thresholds drawn as dashed lines in their colours. */
export function timeseries(text: PanelText, targets: Target[], look: PanelLook = {}): TimeseriesPanel {
  const p = new TimeseriesPanel()
    .title(text.title)
    .description(text.description)
    .datasource(datasourceOf(targets))
    .targets(targets)
    .span(look.w ?? 12)
    .height(look.h ?? 8)
    .lineWidth(1)
    .fillOpacity(10)
    .spanNulls(true);
  if (look.unit) p.unit(look.unit);
  if (look.min !== undefined) p.min(look.min);
  if (look.max !== undefined) p.max(look.max);
  if (look.decimals !== undefined) p.decimals(look.decimals);
  if (look.steps) {
    p.thresholds(thresholds(look.steps)).thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  }
  if (look.mappings) p.mappings(look.mappings);
  return p;
}

/** One big value per series (its last one), on the colour its threshold or mapping gives. */
export function stat(text: PanelText, targets: Target[], look: PanelLook = {}): StatPanel {
  const p = new StatPanel()
    .title(text.title)
    .description(text.description)
    .datasource(datasourceOf(targets))
    .targets(targets)
    .span(look.w ?? 24)
    .height(look.h ?? 5)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .colorScheme(new FieldColorBuilder().mode(FieldColorModeId.Thresholds));
  if (look.unit) p.unit(look.unit);
  if (look.decimals !== undefined) p.decimals(look.decimals);
  if (look.steps) p.thresholds(thresholds(look.steps));
  if (look.mappings) p.mappings(look.mappings);
  return p;
}

/** How a table shows one of its columns: its unit, and the cell coloured by its thresholds or mappings. */
export interface TableColumn {
  unit?: string;
  steps?: Threshold[];
  mappings?: ValueMapping[];
}

/** Rows of figures, columns coloured as their thresholds or mappings say. */
export function table(text: PanelText, targets: Target[], columns: Record<string, TableColumn>, look: PanelLook = {}): TablePanel {
  const p = new TablePanel()
    .title(text.title)
    .description(text.description)
    .datasource(datasourceOf(targets))
    .targets(targets)
    .span(look.w ?? 24)
    .height(look.h ?? 8);
  for (const [name, c] of Object.entries(columns)) {
    const props: DynamicConfigValue[] = [];
    if (c.unit) props.push({ id: 'unit', value: c.unit });
    if (c.steps) props.push({ id: 'thresholds', value: { mode: ThresholdsMode.Absolute, steps: c.steps } });
    if (c.mappings) props.push({ id: 'mappings', value: c.mappings });
    if (c.steps || c.mappings) props.push({ id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorBackground } });
    p.overrideByName(name, props);
  }
  return p;
}
