// A capacity test's figures as a point of the `loadtest` measurement
// (@noc/shared/metrics): the run id is a field, the scenario the one tag;
// figures not measured (null) are left out.
import type { LoadTestFigures, LoadTestSettings } from '@noc/shared/load-test';
import type { Fields, Point } from '@noc/shared/metrics';

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function loadTestPoint(runId: number, settings: Pick<LoadTestSettings, 'scenario'>, f: LoadTestFigures): Point {
  const fields: Fields = {
    run_id: runId,
    seats_wanted: f.seatsWanted,
    seats_joined: f.seatsJoined,
    signalling_errors: f.signallingErrors,
    consumers: f.consumers,
  };
  const optional: [string, number | null | undefined][] = [
    ['join_p95_ms', f.joinP95Ms],
    ['cpu_max_pct', f.workers.length > 0 ? Math.max(...f.workers.map((w) => w.cpuPct)) : null],
    ['loss_pct', f.receiverLossPct === null ? null : Math.min(100, f.receiverLossPct)],
    ['browser_fps', f.browserFps],
    ['first_picture_ms', f.firstPictureMs],
    ['freeze_max_ms', f.freezeMaxMs],
    ['generator_cpu_pct', f.generatorCpuPct],
  ];
  for (const [name, value] of optional) if (value !== null && value !== undefined && Number.isFinite(value)) fields[name] = round(value);
  return { measurement: 'loadtest', tags: { scenario: settings.scenario }, fields, time: f.t };
}
