// Free TCP ports on loopback, for the components a test, a benchmark or a
// load test's private system starts.
import net from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, host, () => resolve());
  });
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** The ports of a whole system as `scripts/start.ts` runs it (NOC, both SFU nodes and their echo responders, influxd), each free. */
export async function systemPortsEnv(): Promise<
  Record<'PORT' | 'SFU_PORT' | 'SFU_BACKUP_PORT' | 'SFU_ECHO_PORT' | 'SFU_BACKUP_ECHO_PORT' | 'INFLUX_PORT' | 'INFLUX_RPC_PORT', string>
> {
  const next = async () => String(await freePort());
  return {
    PORT: await next(),
    SFU_PORT: await next(),
    SFU_BACKUP_PORT: await next(),
    SFU_ECHO_PORT: await next(),
    SFU_BACKUP_ECHO_PORT: await next(),
    INFLUX_PORT: await next(),
    INFLUX_RPC_PORT: await next(),
  };
}
