// The arguments of `npm run loadtest`: what run to ask for and where. Bad
// input is an error naming the argument (the CLI prints it and exits 2).
import { LOAD_TEST_LIMITS, loadTestThresholdsSchema, type LoadTestThresholds } from '@noc/shared/load-test';

export class CliArgumentError extends Error {
  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = 'CliArgumentError';
  }
}

export interface CliArgs {
  scenario: 'capacity' | 'ingest';
  /** A count (the first N sites of the registry) or the ids themselves. */
  sites: { count: number } | { ids: string[] };
  seats: number;
  durationS: number;
  browsers: number;
  walls: number;
  thresholds: Partial<LoadTestThresholds>;
  force: boolean;
  /** A NOC server to run on; null: start a private system. */
  noc: { url: string; user: string; password: string } | null;
}

export const USAGE = `usage: npm run loadtest -- [--sites N|id,id,…] [--seats N] [--duration 5m] [--browsers N] [--walls N]
                        [--scenario capacity|ingest] [--threshold name=value]… [--force]
                        [--noc URL --user U --password P]
  --sites      how many sites (the first N of the registry) or which (default: every site)
  --seats      seats per site, 1-${LOAD_TEST_LIMITS.maxSeats} (default 40)
  --duration   how long the load lasts: 90, 90s, 5m, 1h (default 5m)
  --browsers   Chromium endpoints on the real room page, 0-${LOAD_TEST_LIMITS.maxBrowsers} (default 1)
  --walls      live-feed clients, 0-${LOAD_TEST_LIMITS.maxWalls} (default 3)
  --threshold  override a threshold, e.g. joinP95Ms=3000 (${Object.keys(loadTestThresholdsSchema.shape).join(', ')})
  --force      start even though a real meeting is live
  --noc        run on this NOC server (signed in as --user, password --password or NOC_LOADTEST_PASSWORD)
               instead of a private system started for the run`;

function integer(argument: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new CliArgumentError(argument, `"${value}" is not a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new CliArgumentError(argument, `${n} is outside ${min}-${max}`);
  return n;
}

/** `90`, `90s`, `5m`, `1h` → seconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!m) throw new CliArgumentError('--duration', `"${value}" is not a duration (e.g. 90s, 5m, 1h)`);
  const s = Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
  if (s < LOAD_TEST_LIMITS.minDurationS || s > LOAD_TEST_LIMITS.maxDurationS) {
    throw new CliArgumentError('--duration', `${s} s is outside ${LOAD_TEST_LIMITS.minDurationS}-${LOAD_TEST_LIMITS.maxDurationS} s`);
  }
  return s;
}

function threshold(value: string, into: Partial<LoadTestThresholds>): void {
  const m = /^([A-Za-z0-9]+)=(.+)$/.exec(value);
  if (!m) throw new CliArgumentError('--threshold', `"${value}" is not name=value`);
  const [, name, raw] = m as unknown as [string, string, string];
  const shape = loadTestThresholdsSchema.shape as Record<string, (typeof loadTestThresholdsSchema.shape)[keyof LoadTestThresholds]>;
  const schema = shape[name];
  if (!schema) throw new CliArgumentError('--threshold', `"${name}" is not a threshold (${Object.keys(shape).join(', ')})`);
  const parsed = schema.safeParse(Number(raw));
  if (!parsed.success || raw.trim() === '')
    throw new CliArgumentError('--threshold', `${name}: "${raw}" ${parsed.success ? 'is empty' : parsed.error.issues[0]!.message}`);
  into[name as keyof LoadTestThresholds] = parsed.data;
}

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const args: CliArgs = {
    scenario: 'capacity',
    sites: { count: Infinity },
    seats: LOAD_TEST_LIMITS.maxSeats,
    durationS: 300,
    browsers: 1,
    walls: 3,
    thresholds: {},
    force: false,
    noc: null,
  };
  let noc: string | null = null;
  let user: string | null = null;
  let password: string | null = env.NOC_LOADTEST_PASSWORD ?? null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const takes = (): string => {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new CliArgumentError(flag, 'needs a value');
      return value;
    };
    switch (flag) {
      case '--sites': {
        const value = takes();
        if (/^\d+$/.test(value)) args.sites = { count: integer('--sites', value, 1, 64) };
        else {
          const ids = value.split(',').map((s) => s.trim());
          const bad = ids.find((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id));
          if (bad !== undefined) throw new CliArgumentError('--sites', `"${bad}" is neither a count nor a site id`);
          args.sites = { ids };
        }
        break;
      }
      case '--seats':
        args.seats = integer('--seats', takes(), 1, LOAD_TEST_LIMITS.maxSeats);
        break;
      case '--duration':
        args.durationS = parseDuration(takes());
        break;
      case '--browsers':
        args.browsers = integer('--browsers', takes(), 0, LOAD_TEST_LIMITS.maxBrowsers);
        break;
      case '--walls':
        args.walls = integer('--walls', takes(), 0, LOAD_TEST_LIMITS.maxWalls);
        break;
      case '--scenario': {
        const value = takes();
        if (value !== 'capacity' && value !== 'ingest')
          throw new CliArgumentError('--scenario', `"${value}" is neither capacity nor ingest`);
        args.scenario = value;
        break;
      }
      case '--threshold':
        threshold(takes(), args.thresholds);
        break;
      case '--force':
        args.force = true;
        break;
      case '--noc':
        noc = takes();
        if (!URL.canParse(noc) || !/^https?:$/.test(new URL(noc).protocol))
          throw new CliArgumentError('--noc', `"${noc}" is not an http(s) URL`);
        break;
      case '--user':
        user = takes();
        break;
      case '--password':
        password = takes();
        break;
      default:
        throw new CliArgumentError(flag, 'is not an argument of the load test');
    }
  }
  if (noc) {
    if (!user) throw new CliArgumentError('--user', 'is needed with --noc');
    if (!password) throw new CliArgumentError('--password', 'is needed with --noc (or set NOC_LOADTEST_PASSWORD)');
    args.noc = { url: noc.replace(/\/+$/, ''), user, password };
  } else if (user || password !== (env.NOC_LOADTEST_PASSWORD ?? null)) {
    throw new CliArgumentError(user ? '--user' : '--password', 'only goes with --noc');
  }
  return args;
}
