// The capacity-test runner (StartLoadTestRun, run-contract.ts): it checks the
// settings against the registry, issues the run's tokens, creates the
// load-test meeting, starts Artillery (the seats, the probes and control
// centre, the Chromium endpoints) as child processes, reports figures every
// 2 s, ends by itself at the duration, on stop() or when a part fails, and
// always cleans up: the meeting closed, every child process tree gone (checked
// in /proc). Then the summary, the curve, the verdict and the report in workDir.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { thresholdsOf, type LoadTestFigures, type LoadTestSettings } from '@noc/shared/load-test';
import { judgeLoadTest } from '@noc/shared/load-test-verdict';
import { SignallingClient } from '@noc/shared/signalling-client';
import { ROOM_CLIP, ensureClip } from '../swarm/clip.ts';
import { DEFAULT_FFMPEG } from '../swarm/ffmpeg-sender.ts';
import { SitePublisher } from '../swarm/site-publisher.ts';
import { DEFAULT_RATES, PLAN_ENV, type LoadTestPlan } from '../plan.ts';
import { writeClock, type RunClock } from '../run-clock.ts';
import { startArtillery, type StartedArtillery } from './artillery-process.ts';
import { startFigureCollector, type FigureCollector } from './figure-collector.ts';
import { FigureTally } from './figure-tally.ts';
import { percentile } from './percentile.ts';
import { CpuMeter, processesMatching, processesWithEnvironment } from './proc-stat.ts';
import type { LoadTestEnvironment, LoadTestHandle, LoadTestHooks, LoadTestOutcome, StartLoadTestRun } from './run-contract.ts';
import { curveOf, summarise } from './run-summary.ts';
import { operatorToken, siteTokens } from './run-tokens.ts';
import { SfuLoad } from './sfu-load.ts';

/** Figures go to the host this often. */
export const FIGURES_EVERY_MS = 2000;
/** The ingest scenario's default threshold on the gateway's acknowledgement p95. */
export const INGEST_ACK_LIMIT_MS = 500;
/** After the duration, Artillery gets this long to write its report before it is stopped. */
const REPORT_GRACE_MS = 20_000;
/** Artillery's processes must be up (their processors loaded) within this. */
const ARTILLERY_START_MS = 90_000;

/** Settings whose sites are not all in the registry: an error naming `sites`. */
export function checkSites(settings: LoadTestSettings, env: LoadTestEnvironment): void {
  const known = new Set(env.sites.map((s) => s.id));
  const unknown = settings.sites.filter((s) => !known.has(s));
  if (unknown.length)
    throw new Error(`sites: ${unknown.map((s) => `"${s}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in the site registry`);
  const twice = settings.sites.filter((s, i) => settings.sites.indexOf(s) !== i);
  if (twice.length) throw new Error(`sites: "${twice[0]}" is named more than once`);
  if (settings.browsers > settings.sites.length) {
    throw new Error(`browsers: ${settings.browsers} Chromium endpoints need as many sites, and the run has ${settings.sites.length}`);
  }
}

/**
 * The phases of the ingest scenario: the sites' probes at first, then every
 * `ingestStepMs` as many again (the offered rate doubles), up to
 * `ingestMaxProbes`; the last step lasts until the duration.
 */
export function ingestPhases(durationS: number): { duration: number; arrivalCount: number }[] {
  const stepS = DEFAULT_RATES.ingestStepMs / 1000;
  const steps = Math.max(1, Math.floor(durationS / stepS));
  const phases: { duration: number; arrivalCount: number }[] = [];
  let total = 0;
  for (let i = 0; i < steps; i++) {
    const add = Math.min(i === 0 ? DEFAULT_RATES.ingestStartProbes : total, DEFAULT_RATES.ingestMaxProbes - total);
    if (add <= 0) break;
    total += add;
    phases.push({ duration: stepS, arrivalCount: add });
  }
  return phases;
}

class Run {
  readonly done: Promise<LoadTestOutcome>;
  #id: number;
  #settings: LoadTestSettings;
  #env: LoadTestEnvironment;
  #hooks: LoadTestHooks;
  #tally = new FigureTally();
  #figures: LoadTestFigures[] = [];
  #artillery: StartedArtillery[] = [];
  #publishers: SitePublisher[] = [];
  #collector: FigureCollector | null = null;
  #operator: SignallingClient | null = null;
  #meetingId: string | null = null;
  #ended = new AbortController();
  #stoppedEarly: string | null = null;
  #finished: Promise<void> | null = null;
  #ingestBreakRate: number | null = null;

  constructor(id: number, settings: LoadTestSettings, env: LoadTestEnvironment, hooks: LoadTestHooks) {
    this.#id = id;
    this.#settings = settings;
    this.#env = env;
    this.#hooks = hooks;
    this.done = this.#run();
    // The host learns of a failure through `done`; this keeps an unawaited rejection from ending the process.
    this.done.catch(() => {});
  }

  #log(line: string): void {
    this.#hooks.onLog?.(line);
  }

  /** Ends the run with `reason` as why it stopped early; resolves once everything is cleaned up. */
  async stop(reason: string): Promise<void> {
    this.#end(reason);
    await this.done.catch(() => {});
  }

  #end(reason: string | null): void {
    if (this.#ended.signal.aborted) return;
    this.#stoppedEarly = reason;
    this.#ended.abort();
  }

  async #run(): Promise<LoadTestOutcome> {
    const { settings, env } = { settings: this.#settings, env: this.#env };
    checkSites(settings, env);
    const durationMs = settings.durationS * 1000;
    const rampMs = Math.round(durationMs / 4);
    await mkdir(join(env.workDir, 'claims'), { recursive: true });
    let clock: RunClock;
    try {
      await this.#start(durationMs, rampMs);
      await this.#waitUntilUp();
      clock = { startedAt: Date.now(), endsAt: Date.now() + durationMs };
      await writeClock(this.#clockFile, clock);
      this.#log(`load started; it ends at ${new Date(clock.endsAt).toISOString()}`);
    } catch (err) {
      const stoppedByHand = this.#ended.signal.aborted;
      this.#end(`could not start: ${(err as Error).message}`);
      // A run that could not start leaves nothing behind either.
      await this.#cleanUp();
      // Stopped while it started: it ends like any stopped run, with what it has.
      if (stoppedByHand) return this.#outcome(Date.now());
      throw err;
    }
    try {
      await this.#watch(clock.endsAt);
    } catch (err) {
      this.#end(`the runner failed: ${(err as Error).message}`);
    } finally {
      await this.#cleanUp();
    }
    return this.#outcome(clock.startedAt + rampMs + FIGURES_EVERY_MS);
  }

  get #clockFile(): string {
    return join(this.#env.workDir, 'clock.json');
  }

  /** Every Artillery process has loaded its processor (or one has exited: then the run cannot start). */
  async #waitUntilUp(): Promise<void> {
    const deadline = Date.now() + ARTILLERY_START_MS;
    while (this.#tally.readyPids.size < this.#artillery.length) {
      if (this.#ended.signal.aborted) throw new Error(this.#stoppedEarly ?? 'stopped before the load started');
      const exited = this.#artillery.find((a) => !a.tree.running);
      if (exited) throw new Error(`${exited.tree.name} exited as it started; see ${exited.logFile}`);
      if (Date.now() > deadline)
        throw new Error(`Artillery was not up within ${ARTILLERY_START_MS / 1000} s; see the logs in ${this.#env.workDir}`);
      await sleep(100);
    }
  }

  async #start(durationMs: number, rampMs: number): Promise<void> {
    const settings = this.#settings;
    const env = this.#env;
    // Tokens last until well after the latest the run can end (run-tokens.ts adds a grace).
    const endsAt = Date.now() + ARTILLERY_START_MS + durationMs;
    this.#collector = await startFigureCollector((f) => this.#tally.add(f));
    const operator = operatorToken(env.secret, this.#id, endsAt);
    if (settings.scenario === 'capacity') {
      this.#operator = await SignallingClient.connect(env.signallingUrl, operator, 10_000);
      const created = await this.#operator.request('meeting.create', {
        kind: 'tap-huan',
        title: `Kiểm tra tải ${this.#id}`,
        invitedSites: settings.sites,
        loadTest: true,
      });
      this.#meetingId = created.meetingId;
      this.#log(`meeting ${created.meetingId} created for ${settings.sites.length} sites`);
    }
    const plan: LoadTestPlan = {
      runId: this.#id,
      scenario: settings.scenario,
      signallingUrl: env.signallingUrl,
      nocUrl: env.nocUrl,
      meetingId: this.#meetingId,
      clockFile: this.#clockFile,
      durationMs,
      rampMs,
      figuresPort: this.#collector.port,
      claimDir: join(env.workDir, 'claims'),
      sites: settings.sites,
      seatsPerSite: settings.seats,
      walls: this.#walls,
      browserSites: settings.scenario === 'capacity' ? settings.sites.slice(0, settings.browsers) : [],
      tokens: { operator, ...siteTokens(env.secret, this.#id, settings.sites, this.#meetingId, endsAt), wall: env.wallToken ?? null },
      ingestAckLimitMs: INGEST_ACK_LIMIT_MS,
      rates: DEFAULT_RATES,
    };
    if (settings.scenario === 'capacity' && settings.walls > 0 && !env.wallToken)
      this.#log(`${settings.walls} walls asked for, but the host gave no display token: the run plays none`);
    const planFile = join(env.workDir, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan, null, 2), { mode: 0o600 });
    if (settings.scenario === 'capacity') await this.#startPublishers(plan);
    const common = { planFile, nocUrl: env.nocUrl, workDir: env.workDir };
    if (settings.scenario === 'capacity') {
      const seats = settings.sites.length * settings.seats;
      const rampS = Math.max(1, Math.round(rampMs / 1000));
      this.#artillery.push(
        startArtillery({
          ...common,
          name: 'seats',
          script: 'capacity.yml',
          scenarioName: 'seat',
          overrides: { config: { phases: [{ duration: rampS, arrivalCount: seats }] } },
        }),
        startArtillery({
          ...common,
          name: 'background',
          script: 'capacity.yml',
          scenarioName: 'background',
          overrides: { config: { phases: [{ duration: 1, arrivalCount: 1 }] } },
        }),
      );
      if (plan.walls > 0) {
        this.#artillery.push(
          startArtillery({
            ...common,
            name: 'walls',
            script: 'capacity.yml',
            scenarioName: 'wall',
            overrides: { config: { phases: [{ duration: 1, arrivalCount: plan.walls }] } },
          }),
        );
      }
      if (plan.browserSites.length) {
        this.#artillery.push(
          startArtillery({
            ...common,
            name: 'browsers',
            script: 'browser.yml',
            overrides: { config: { phases: [{ duration: plan.browserSites.length, arrivalCount: plan.browserSites.length }] } },
          }),
        );
      }
      this.#log(
        `Artillery started: ${seats} seats over ${rampS} s, ${settings.sites.length} probes, ${plan.walls} walls, ${plan.browserSites.length} Chromium endpoints`,
      );
    } else {
      this.#artillery.push(
        startArtillery({
          ...common,
          name: 'ingest',
          script: 'ingest.yml',
          overrides: { config: { phases: ingestPhases(settings.durationS) } },
        }),
      );
      this.#log(
        `Artillery started: ${DEFAULT_RATES.ingestStartProbes} probes to /api/ingest, twice as many every ${DEFAULT_RATES.ingestStepMs / 1000} s`,
      );
    }
  }

  /** A publisher (ffmpeg looping the clip) for each site that has no Chromium endpoint. */
  async #startPublishers(plan: LoadTestPlan): Promise<void> {
    const sites = plan.sites.filter((s) => !plan.browserSites.includes(s));
    if (!sites.length) return;
    const ffmpeg = process.env.FFMPEG_BIN ?? DEFAULT_FFMPEG;
    const clip = await ensureClip(ffmpeg, ROOM_CLIP);
    for (const site of sites) {
      if (this.#ended.signal.aborted) return;
      this.#publishers.push(
        await SitePublisher.start({
          signallingUrl: plan.signallingUrl,
          token: plan.tokens.site[site]!,
          meetingId: plan.meetingId!,
          clipFile: clip.path,
          ffmpegBin: ffmpeg,
          maxSeconds: Math.ceil((plan.durationMs + ARTILLERY_START_MS) / 1000) + 120,
        }),
      );
    }
    this.#log(`${sites.length} site publishers sending the clip`);
  }

  /** Reports figures every 2 s until the duration, stop() or a failed part ends the run. */
  async #watch(endsAt: number): Promise<void> {
    const sfu = new SfuLoad(this.#env.sfuStatusUrls, this.#env.secret);
    const generator = new CpuMeter();
    generator.read(this.#generatorPids());
    await sfu.read();
    const timer = setTimeout(() => this.#end(null), Math.max(0, endsAt - Date.now()));
    try {
      while (!this.#ended.signal.aborted) {
        await sleep(FIGURES_EVERY_MS, undefined, { signal: this.#ended.signal }).catch(() => {});
        if (this.#ended.signal.aborted) break;
        const workers = await sfu.read();
        const figures = this.#figuresNow(workers, generator.read(this.#generatorPids()));
        this.#figures.push(figures);
        this.#hooks.onFigures(figures);
        this.#checkParts(endsAt);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Wall clients the run plays: its capacity scenario's `walls`, when the host gave it a display token. */
  get #walls(): number {
    return this.#settings.scenario === 'capacity' && this.#env.wallToken ? this.#settings.walls : 0;
  }

  #generatorPids(): number[] {
    return [
      ...this.#artillery.flatMap((a) => a.tree.pids()),
      ...this.#publishers.flatMap((p) => (p.ffmpeg.pid === undefined ? [] : [p.ffmpeg.pid])),
    ];
  }

  #figuresNow(workers: LoadTestFigures['workers'], generatorCpuPct: number | null): LoadTestFigures {
    const t = this.#tally;
    const settings = this.#settings;
    const figures: LoadTestFigures = {
      t: Date.now(),
      seatsWanted: settings.scenario === 'capacity' ? settings.sites.length * settings.seats : 0,
      seatsJoined: t.seatsJoined,
      joinP95Ms: t.joinP95Ms(),
      signallingRequests: t.signallingRequests,
      signallingErrors: t.signallingErrors,
      workers,
      consumers: workers.reduce((a, w) => a + w.consumers, 0),
      receiverLossPct: t.receiverLossPct(),
      browserFps: t.browserFps(),
      firstPictureMs: t.firstPictureMs(),
      freezeMaxMs: t.freezeMaxMs(),
      audioJitterMs: t.audioJitterMs(),
      generatorCpuPct: generatorCpuPct === null ? null : Math.round(generatorCpuPct * 10) / 10,
    };
    if (this.#walls > 0) {
      figures.wallsConnected = t.wallsConnected();
      figures.liveFeedEvents = t.liveFeedEvents;
      figures.liveFeedDelayP95Ms = t.liveFeedDelayP95Ms();
    }
    if (settings.scenario === 'ingest') {
      const period = t.takeIngestPeriod();
      const p95 = percentile(period, 95);
      const rate = (t.ingestProbes * 2 * 1000) / DEFAULT_RATES.probeIntervalMs;
      figures.ingestAckP95Ms = p95;
      figures.ingestRate = rate;
      if (p95 !== null && p95 > INGEST_ACK_LIMIT_MS && this.#ingestBreakRate === null) {
        this.#ingestBreakRate = rate;
        this.#log(`the acknowledgement p95 left ${INGEST_ACK_LIMIT_MS} ms at ${rate} samples/s (${Math.round(p95)} ms)`);
        // The scenario has found what it looks for: the run ends here, as planned.
        queueMicrotask(() => this.#end(null));
      }
    }
    return figures;
  }

  /** A part that failed ends the run, naming it. */
  #checkParts(endsAt: number): void {
    if (this.#tally.failures.length) return this.#end(`a part of the scenario failed: ${this.#tally.failures[0]}`);
    const publisher = this.#publishers.find((p) => !p.running);
    if (publisher)
      return this.#end(
        `the publisher of ${publisher.site} stopped: ${publisher.ended ?? publisher.ffmpeg.failure() ?? 'its signalling closed'}`,
      );
    for (const a of this.#artillery) {
      // Artillery ends a little after the last virtual user; before the end it has failed.
      if (!a.tree.running && Date.now() < endsAt - 2000) {
        const exit = a.tree.exitInfo;
        return this.#end(`${a.tree.name} exited before the end (${exit?.signal ?? `code ${exit?.code}`}); see ${a.logFile}`);
      }
    }
  }

  async #cleanUp(): Promise<void> {
    this.#finished ??= this.#cleanUpOnce();
    await this.#finished;
  }

  async #cleanUpOnce(): Promise<void> {
    // At the planned end Artillery gets a moment to write its reports; stopped early, it is stopped at once.
    if (this.#stoppedEarly === null) {
      const deadline = Date.now() + REPORT_GRACE_MS;
      while (this.#artillery.some((a) => a.tree.running) && Date.now() < deadline) await sleep(200);
    }
    if (this.#meetingId && this.#operator?.open) {
      try {
        await this.#operator.request('meeting.close', { meetingId: this.#meetingId }, 5000);
        this.#log(`meeting ${this.#meetingId} closed`);
      } catch (err) {
        this.#log(`closing meeting ${this.#meetingId} failed: ${(err as Error).message}`);
      }
    }
    this.#operator?.close();
    await Promise.all([...this.#artillery.map((a) => a.tree.stop()), ...this.#publishers.map((p) => p.stop())]);
    await this.#collector?.close();
    // Every process Artillery starts (Chromium too) inherits the plan's path in its environment,
    // and Artillery carries the run's folder on its command line (its report).
    const left = [...processesMatching(this.#env.workDir), ...processesWithEnvironment(PLAN_ENV, this.#env.workDir)];
    const trees = this.#artillery.flatMap((a) => a.tree.pids());
    if (left.length || trees.length) this.#log(`left after the cleanup: ${[...new Set([...left, ...trees])].join(', ')}`);
    else this.#log('cleaned up: no process of the run is left');
  }

  async #outcome(steadyFrom: number): Promise<LoadTestOutcome> {
    const settings = this.#settings;
    const summary = summarise({
      seatsWanted: settings.scenario === 'capacity' ? settings.sites.length * settings.seats : 0,
      tally: this.#tally,
      figures: this.#figures,
      steadyFrom,
      walls: this.#walls > 0,
      ...(settings.scenario === 'ingest' ? { ingestBreakRate: this.#ingestBreakRate } : {}),
    });
    const curve = curveOf(this.#figures);
    const verdict = judgeLoadTest(summary, thresholdsOf(settings), curve, {
      browsers: settings.scenario === 'capacity' ? settings.browsers : 0,
      workers: summary.meetingWorkers ?? 1,
    });
    const reportFile = join(this.#env.workDir, 'report.json');
    const report = {
      id: this.#id,
      settings,
      stoppedEarly: this.#stoppedEarly,
      summary,
      verdict,
      curve,
      figures: this.#figures,
      seatErrors: this.#tally.seatErrors,
      artilleryReports: this.#artillery.map((a) => a.reportFile),
    };
    await writeFile(reportFile, JSON.stringify(report, null, 2) + '\n');
    this.#log(`report written: ${reportFile}`);
    return { summary, curve, verdict, reportFile, stoppedEarly: this.#stoppedEarly };
  }
}

export const startLoadTestRun: StartLoadTestRun = (id, settings, env, hooks): LoadTestHandle => {
  const run = new Run(id, settings, env, hooks);
  return { stop: (reason) => run.stop(reason), done: run.done };
};
