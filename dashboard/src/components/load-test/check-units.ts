// The unit and decimals each checked figure of a capacity test is shown with.
import type { LoadTestCheckName } from '@noc/shared/load-test';

export const CHECK_FORMAT: Record<LoadTestCheckName, { unit: string; digits: number }> = {
  seatsJoined: { unit: '', digits: 0 },
  joinP95Ms: { unit: 'ms', digits: 0 },
  signallingErrorPct: { unit: '%', digits: 2 },
  receiverLossPct: { unit: '%', digits: 2 },
  workerCpuPct: { unit: '%', digits: 1 },
  browserFpsMin: { unit: 'fps', digits: 1 },
  freezeMaxMs: { unit: 'ms', digits: 0 },
};
