// The load-test CLI's arguments: counts, ids, durations and thresholds read
// as meant, and bad input refused with an error naming the argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CliArgumentError, parseCliArgs, parseDuration } from '@noc/loadtest/cli-args';

test('a full command line is read as meant', () => {
  const args = parseCliArgs(
    [
      '--sites',
      '12',
      '--seats',
      '40',
      '--duration',
      '5m',
      '--browsers',
      '2',
      '--threshold',
      'joinP95Ms=3000',
      '--threshold=workerCpuPct=60',
      '--force',
    ],
    {},
  );
  assert.deepEqual(args, {
    scenario: 'capacity',
    sites: { count: 12 },
    seats: 40,
    durationS: 300,
    browsers: 2,
    walls: 3,
    thresholds: { joinP95Ms: 3000, workerCpuPct: 60 },
    force: true,
    noc: null,
  });
});

test('sites by id, the ingest scenario and a NOC server with its password from the environment', () => {
  const args = parseCliArgs(['--sites', 'da-bac,mai-chau', '--scenario', 'ingest', '--noc', 'http://127.0.0.1:8080/', '--user', 'admin'], {
    NOC_LOADTEST_PASSWORD: 'secret-password',
  });
  assert.deepEqual(args.sites, { ids: ['da-bac', 'mai-chau'] });
  assert.equal(args.scenario, 'ingest');
  assert.deepEqual(args.noc, { url: 'http://127.0.0.1:8080', user: 'admin', password: 'secret-password' });
});

test('durations in seconds, minutes and hours, within the limits', () => {
  assert.equal(parseDuration('90'), 90);
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('2m'), 120);
  assert.equal(parseDuration('1h'), 3600);
  assert.throws(() => parseDuration('2h'), /--duration: 7200 s is outside 10-3600 s/);
  assert.throws(() => parseDuration('5 minutes'), /--duration: "5 minutes" is not a duration/);
});

test('bad arguments are refused naming the argument', () => {
  const cases: [string[], RegExp][] = [
    [['--sites', '0'], /^--sites: 0 is outside 1-64$/],
    [['--sites', 'Da Bac'], /^--sites: "Da Bac" is neither a count nor a site id$/],
    [['--seats', '41'], /^--seats: 41 is outside 1-40$/],
    [['--seats'], /^--seats: needs a value$/],
    [['--browsers', 'two'], /^--browsers: "two" is not a whole number$/],
    [['--scenario', 'soak'], /^--scenario: "soak" is neither capacity nor ingest$/],
    [['--threshold', 'joinP95Ms'], /^--threshold: "joinP95Ms" is not name=value$/],
    [['--threshold', 'speed=3'], /^--threshold: "speed" is not a threshold/],
    [['--threshold', 'receiverLossPct=200'], /^--threshold: receiverLossPct: "200"/],
    [['--noc', 'ftp://x', '--user', 'a', '--password', 'b'], /^--noc: "ftp:\/\/x" is not an http\(s\) URL$/],
    [['--noc', 'http://x', '--password', 'b'], /^--user: is needed with --noc$/],
    [['--user', 'admin'], /^--user: only goes with --noc$/],
    [['--sides', '3'], /^--sides: is not an argument of the load test$/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseCliArgs(argv, {}),
      (err: unknown) => err instanceof CliArgumentError && message.test(err.message),
      argv.join(' '),
    );
  }
});
