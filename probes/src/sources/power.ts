// The `power` source: the site's UPS read from NUT's upsd (`LIST VAR <ups>`)
// every few seconds and mapped to a power sample (nut/power.ts).
//
// Not being able to read the UPS is itself a state worth reporting, so it is
// sent as a power sample with only `status` set:
// - `DRIVER-NOT-CONNECTED`, `DATA-STALE`, `UNKNOWN-UPS`, ...: upsd answered
//   with that error (the driver lost the UPS, its data is stale, the name is
//   wrong);
// - `UPSD-UNREACHABLE`: no connection to upsd, or it broke and reconnecting
//   failed.
// The connection is kept open between reads and reopened when it drops.
import type { ProbeSample } from '@noc/shared/metrics';
import type { UpsConfig } from '../agent/config.ts';
import { errorMessage, type Logger } from '../agent/log.ts';
import { NutClient, NutError } from '../nut/client.ts';
import { powerFromNutVars } from '../nut/power.ts';
import type { Source, SourceContext, SourcePlugin } from './source.ts';

export const UPSD_UNREACHABLE = 'UPSD-UNREACHABLE';

type PowerSample = Extract<ProbeSample, { measurement: 'power' }>;

export class PowerSource implements Source {
  readonly name = 'power';
  readonly intervalMs: number;
  #ups: UpsConfig;
  #log: Logger;
  #client: NutClient | null = null;
  #closed = false;

  constructor(ups: UpsConfig, log: Logger) {
    this.#ups = ups;
    this.#log = log;
    this.intervalMs = ups.intervalMs;
  }

  get #label(): string {
    return `UPS ${this.#ups.name}@${this.#ups.host}:${this.#ups.port}`;
  }

  async collect(): Promise<ProbeSample[]> {
    let vars: Record<string, string>;
    try {
      vars = await this.#readVars();
    } catch (err) {
      const status = err instanceof NutError ? err.code : UPSD_UNREACHABLE;
      this.#log.changed('state', 'warn', `${this.#label}: ${status} (${errorMessage(err)})`);
      return [this.#sample({ status })];
    }
    const fields = powerFromNutVars(vars);
    if (Object.keys(fields).length === 0) {
      this.#log.changed(
        'state',
        'warn',
        `${this.#label}: upsd lists none of ups.status, battery.charge, battery.runtime, input.voltage, ups.load`,
      );
      return [];
    }
    this.#log.changed('state', 'info', `${this.#label}: read, ups.status ${fields.status ?? '(none)'}`);
    return [this.#sample(fields)];
  }

  #sample(fields: PowerSample['fields']): PowerSample {
    return { measurement: 'power', tags: {}, fields };
  }

  /** LIST VAR on the open connection; a broken one is reopened once right away. */
  async #readVars(): Promise<Record<string, string>> {
    const reused = this.#client !== null;
    try {
      return await (await this.#connection()).listVars(this.#ups.name);
    } catch (err) {
      if (err instanceof NutError) throw err; // upsd answered: the connection is fine
      await this.#drop();
      if (!reused) throw err;
      return await (await this.#connection()).listVars(this.#ups.name);
    }
  }

  async #connection(): Promise<NutClient> {
    if (this.#closed) throw new Error('the power source is closed');
    this.#client ??= await NutClient.connect({ host: this.#ups.host, port: this.#ups.port, timeoutMs: this.#ups.timeoutMs });
    return this.#client;
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    await client?.close();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#drop();
  }
}

export const powerPlugin: SourcePlugin = {
  name: 'power',
  enabled: (config) => config.ups !== undefined,
  create: async (ctx: SourceContext) => new PowerSource(ctx.config.ups as UpsConfig, ctx.log),
};
