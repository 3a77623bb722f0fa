// The NOC server's private influxd as a service (noc-influxd.service): the same config as
// `npm start` writes (dashboard/server/store/influxd-process.ts), in `<NOC_DATA_DIR>/influxdb`,
// on loopback; runs until SIGTERM/SIGINT, then stops influxd cleanly. Exits with an error when
// influxd stops by itself, so systemd restarts it.
//   node deploy/src/influxd-service.ts      (through deploy/bin/noc-service influxd)
import { startInfluxd } from '../../dashboard/server/store/influxd-process.ts';
import { privateInfluxd } from './private-influxd.ts';

const log = (msg: string) => console.log(`[noc-influxd] ${msg}`);

try {
  const settings = privateInfluxd();
  const influxUrl = process.env.INFLUX_URL?.replace(/\/+$/, '');
  if (influxUrl && influxUrl !== settings.url) {
    throw new Error(
      `INFLUX_URL is ${influxUrl}, not this private influxd (${settings.url}): ` +
        `the NOC server uses another InfluxDB, so disable noc-influxd.service, or set INFLUX_URL=${settings.url}`,
    );
  }
  const influxd = await startInfluxd({
    dir: settings.dir,
    host: '127.0.0.1',
    httpPort: settings.httpPort,
    rpcPort: settings.rpcPort,
  });
  log(`up: HTTP ${settings.url}, backup/restore RPC ${settings.rpcAddress}, data in ${settings.dir}`);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping influxd`);
      void influxd.stop().then(() => process.exit(0));
    });
  }
  const { code, signal } = await influxd.process.exited;
  if (!stopping) {
    console.error(`[noc-influxd] influxd stopped by itself (${signal ?? `exit ${code}`}):\n${influxd.process.tail}`);
    process.exit(1);
  }
} catch (err) {
  console.error(`[noc-influxd] cannot start: ${(err as Error).message}`);
  process.exit(1);
}
