// The simulator plays a scenario through the real ingest path, with a real
// probe agent per site: a cut link leaves the agent's disk spool holding the
// site's samples and replaying them when it returns, a power cut drains the
// UPS, a lost UPS driver, a hot room and a probe restart (a new agent on the
// same spool: seq goes on, uptime starts again) all show in the stored data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@noc/shared/child-process';
import { waitFor } from '@noc/shared/wait';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const simulator = fileURLToPath(new URL('../../probes/src/simulator/index.ts', import.meta.url));
let influx: InfluxdFixture;
let noc: NocFixture;
let dir: Awaited<ReturnType<typeof tempDir>>;
let sim: ManagedProcess;

before(async () => {
  influx = await startTestInfluxd();
  noc = await startTestNocServer({ influxUrl: influx.url });
  dir = await tempDir('scenario');
});
after(async () => {
  await sim?.stop();
  await noc?.stop();
  await influx?.stop();
  await dir?.remove();
});

const values = async (q: string) => (await influx.query(q))[0]?.values ?? [];

test('a scenario of faults shows in the stored data', async () => {
  const scenario = join(dir.path, 'scenario.json');
  await writeFile(
    scenario,
    JSON.stringify({
      name: 'short',
      faults: [
        { fault: 'link-cut', site: 'da-bac', at: '+1s', durationS: 2 },
        { fault: 'power-cut', site: 'lac-son', at: '+0.5s', durationS: 60, drainMinutes: 0.1 },
        { fault: 'ups-driver-loss', site: 'kim-boi', at: '+0.5s', durationS: 60 },
        { fault: 'room-hot', site: 'tan-lac', at: '+0.5s', durationS: 60, tempC: 38 },
        { fault: 'probe-restart', site: 'yen-thuy', at: '+1.5s' },
      ],
    }),
  );
  sim = ManagedProcess.start({
    name: 'simulator',
    command: process.execPath,
    args: [simulator],
    env: {
      ...process.env,
      NOC_URL: noc.url,
      NOC_SECRET_FILE: noc.secretFile,
      SIM_INTERVAL_MS: '200',
      SIM_SCENARIO: scenario,
      SIM_SPOOL_DIR: join(dir.path, 'spool'),
    },
    quiet: true,
  });
  // Da Bắc's link comes back after 3 s; wait until its spooled samples are in
  // and it has sent live again for a while.
  await waitFor(
    'the cut site to catch up',
    async () => {
      const rows = await values(`SELECT "seq" FROM "probe" WHERE "site" = 'da-bac'`);
      const seqs = rows.map((r) => r[1] as number);
      return seqs.length >= 30 && seqs.at(-1)! >= 30;
    },
    { timeoutMs: 20_000, intervalMs: 300 },
  );
  await sim.stop();

  const seqs = (await values(`SELECT "seq" FROM "probe" WHERE "site" = 'da-bac'`)).map((r) => r[1] as number);
  assert.deepEqual(
    seqs,
    seqs.map((_, i) => i + 1),
    'every heartbeat of the cut site arrived, in order, once',
  );
  const depth = (await values(`SELECT max("spool_depth") FROM "probe" WHERE "site" = 'da-bac'`))[0]?.[1] as number;
  assert.ok(depth >= 10, `the agent's spool held the samples during the cut (deepest ${depth})`);
  const unreachable = await values(`SELECT "loss_pct" FROM "link" WHERE "site" = 'da-bac' AND "reachable" = false`);
  assert.ok(unreachable.length > 0, 'the link samples taken during the cut say the SFU was unreachable');

  const power = await values(`SELECT "on_mains", "battery_pct", "status" FROM "power" WHERE "site" = 'lac-son' AND "on_mains" = false`);
  assert.ok(power.length > 3);
  const battery = power.map((r) => r[2] as number);
  assert.ok(battery.at(-1)! < battery[0]!, `the battery drains: ${battery.join(', ')}`);
  assert.match(String(power.at(-1)?.[3]), /^OB DISCHRG/);

  const driver = await values(`SELECT "status" FROM "power" WHERE "site" = 'kim-boi' AND "status" = 'DRIVER-NOT-CONNECTED'`);
  assert.ok(driver.length > 0, 'a lost UPS driver is reported');

  const temps = (await values(`SELECT "temp_c" FROM "env" WHERE "site" = 'tan-lac' AND "temp_c" > 35`)).length;
  assert.ok(temps > 0, 'the hot room is reported');

  // The heartbeat's seq is kept on disk: a restarted agent goes on from it, and uptime starts again.
  const beats = await values(`SELECT "seq", "uptime_s" FROM "probe" WHERE "site" = 'yen-thuy'`);
  const restartSeqs = beats.map((r) => r[1] as number);
  const uptimes = beats.map((r) => r[2] as number);
  assert.ok(
    restartSeqs.every((s, i) => i === 0 || s > restartSeqs[i - 1]!),
    `seq goes on across the restart: ${restartSeqs.join(',')}`,
  );
  assert.ok(
    restartSeqs.at(-1)! - restartSeqs.length <= 1,
    `at most the heartbeat in progress at the restart is skipped: ${restartSeqs.join(',')}`,
  );
  assert.ok(
    uptimes.some((u, i) => i > 0 && u < uptimes[i - 1]!),
    `the probe restart shows as uptime starting again: ${uptimes.join(',')}`,
  );
});
