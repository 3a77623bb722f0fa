// Panel queries for Grafana's InfluxDB datasource, which the foundation SDK
// has no builder for: its own query types, defined as the SDK documents for a
// datasource it lacks (a Dataquery variant and a builder). A raw InfluxQL
// query on the InfluxQL datasource, a Flux query on the Flux one.
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { DATASOURCES } from './datasources.ts';

export type InfluxResultFormat = 'time_series' | 'table';

export interface InfluxqlTarget extends Dataquery {
  refId?: string;
  hide?: boolean;
  datasource: DataSourceRef;
  /** The query as written, with Grafana's macros ($timeFilter, $__interval, $site …). */
  query: string;
  rawQuery: true;
  resultFormat: InfluxResultFormat;
  /** The series' name in the legend, e.g. `$tag_site`. */
  alias?: string;
}

export interface FluxTarget extends Dataquery {
  refId?: string;
  hide?: boolean;
  datasource: DataSourceRef;
  /** The query, with the Flux datasource's v.timeRangeStart, v.windowPeriod, v.defaultBucket … */
  query: string;
}

export class InfluxqlTargetBuilder implements Builder<InfluxqlTarget> {
  readonly #target: InfluxqlTarget;

  constructor(query: string) {
    this.#target = {
      datasource: DATASOURCES.influxql,
      query,
      rawQuery: true,
      resultFormat: 'time_series',
      _implementsDataqueryVariant() {},
    };
  }

  refId(refId: string): this {
    this.#target.refId = refId;
    return this;
  }

  alias(alias: string): this {
    this.#target.alias = alias;
    return this;
  }

  resultFormat(format: InfluxResultFormat): this {
    this.#target.resultFormat = format;
    return this;
  }

  build(): InfluxqlTarget {
    return this.#target;
  }
}

export class FluxTargetBuilder implements Builder<FluxTarget> {
  readonly #target: FluxTarget;

  constructor(query: string) {
    this.#target = { datasource: DATASOURCES.flux, query, _implementsDataqueryVariant() {} };
  }

  refId(refId: string): this {
    this.#target.refId = refId;
    return this;
  }

  build(): FluxTarget {
    return this.#target;
  }
}
