// The incident capability of the NOC server, opened once: the engine fed by
// the ingest path, the SFU's policy events and the health checks; the stores
// (incidents, maintenance windows, webhooks, audit log); notifications to the
// live feed and webhooks; and the actions people take (acknowledge, comment,
// resolve, the ISP ticket, "chair informed"). Routes check who may call; the
// rules of each action live here.
import type { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import type { SessionUser } from '@noc/shared/auth';
import type { HealthReport } from '@noc/shared/health';
import {
  LINK_RULES,
  type Incident,
  type IncidentDetail,
  type IncidentQuery,
  type IspTicket,
  type MaintenanceInput,
  type MaintenanceWindow,
  type NotificationEvent,
} from '@noc/shared/incidents';
import type { IncidentRules } from '@noc/shared/incident-rules';
import type { MeetingRecord, PolicyEvent } from '@noc/shared/meeting';
import type { Point } from '@noc/shared/metrics';
import type { Site } from '@noc/shared/sites';
import { HttpError } from '../errors.ts';
import { AuditLog } from './audit-log.ts';
import { changedValues } from './changed-values.ts';
import { IncidentEngine } from './engine.ts';
import { IncidentStore } from './incident-store.ts';
import { MaintenanceStore } from './maintenance-store.ts';
import { PolicyWatch } from './policy-watch.ts';
import { QualityWriter } from './quality-writer.ts';
import { RuleSettings } from './rule-settings.ts';
import { Webhooks, type WebhookOptions } from './webhooks.ts';
import { readinessReader, type RunsEndedBetween } from '../load-tests/training-readiness.ts';
import type { Plans } from '../plans/plans.ts';
import type { NotReadyNow } from '../readiness/readiness.ts';

export interface IncidentsOptions {
  db: DatabaseSync;
  dataDir: string;
  sites: readonly Site[];
  /** The shipped or configured default rules file. */
  rulesFile: string;
  /** The meeting plans (`ctx.plans`): when a running meeting ends, the next tập huấn; null: none known. */
  plans: Pick<Plans, 'running' | 'occurrences'> | null;
  meetings: () => readonly MeetingRecord[];
  health: () => HealthReport | null;
  sfuNodes: { name: 'main' | 'backup'; url: string }[];
  /** The NOC's token for the SFU nodes' status endpoints. */
  sfuToken: string;
  /** Writes the quality grades to the sample store. */
  writePoints: (points: Point[]) => Promise<void>;
  /** Every change, for the live feed. */
  onChange: (incident: Incident) => void;
  webhooks?: WebhookOptions;
  /** E-mail: an incident's notifications to the directory's contacts, "chair informed" to the chairs. */
  mail?: IncidentMail;
  /** Runs that ended in [from, to), newest first: the capacity tests before a tập huấn. */
  loadTestsEnded?: RunsEndedBetween;
  /** The readiness check's latest "not ready" of a site for a meeting not over yet (`ctx.readiness`). */
  notReady?: (site: string, now: number) => NotReadyNow | null;
  log?: (message: string) => void;
}

/** What the incidents ask of the e-mail (dashboard/server/mail/mail.ts): each answers how many messages it queued. */
export interface IncidentMail {
  incident(event: NotificationEvent, incident: Incident): number;
  chairInformed(incident: Incident, by: string, comment: string): number;
}

export class Incidents {
  readonly store: IncidentStore;
  readonly windows: MaintenanceStore;
  readonly webhooks: Webhooks;
  readonly audit: AuditLog;
  readonly settings: RuleSettings;
  readonly engine: IncidentEngine;
  #policy: PolicyWatch;
  #quality: QualityWriter;
  #onChange: (incident: Incident) => void;
  #mail: IncidentMail | null;

  constructor(opts: IncidentsOptions) {
    this.store = new IncidentStore(opts.db);
    this.windows = new MaintenanceStore(opts.db);
    this.webhooks = new Webhooks(opts.db, opts.webhooks);
    this.audit = new AuditLog(opts.db);
    this.settings = new RuleSettings(opts.rulesFile, join(opts.dataDir, 'incident-rules.json'));
    this.#onChange = opts.onChange;
    this.#mail = opts.mail ?? null;
    this.engine = new IncidentEngine({
      sites: opts.sites,
      store: this.store,
      rules: () => this.settings.current,
      plannedNow: opts.plans ? (now) => opts.plans!.running(now) : null,
      meetings: opts.meetings,
      health: opts.health,
      windows: () => this.windows.current(),
      onChange: (incident, notify) => this.#changed(incident, notify),
      ...(opts.loadTestsEnded
        ? { trainingReadiness: readinessReader(opts.plans ? (from, to) => opts.plans!.occurrences(from, to) : null, opts.loadTestsEnded) }
        : {}),
      ...(opts.notReady ? { notReady: opts.notReady } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
    this.#policy = new PolicyWatch({
      db: opts.db,
      nodes: opts.sfuNodes,
      sfuToken: opts.sfuToken,
      onBreach: (e: PolicyEvent) => this.engine.onBreach(e),
    });
    this.#quality = new QualityWriter(this.engine.state, opts.writePoints);
  }

  start(): void {
    this.engine.start();
    this.webhooks.start();
    this.#policy.start();
    this.#quality.start();
  }

  async close(): Promise<void> {
    this.engine.stop();
    this.#policy.stop();
    this.#quality.stop();
    await this.webhooks.close();
  }

  #changed(incident: Incident, notify: NotificationEvent | null): void {
    this.#onChange(incident);
    if (notify === null) return;
    const queued = this.webhooks.notify(notify, incident);
    if (queued > 0) {
      this.store.addEntry(incident.id, {
        kind: 'notified',
        at: Date.now(),
        text: `${notify}: sent to ${queued} webhook${queued === 1 ? '' : 's'}`,
        data: { say: 'sentTo', event: notify, n: queued },
      });
    }
    const mailed = this.#mail?.incident(notify, incident) ?? 0;
    if (mailed > 0) {
      this.store.addEntry(incident.id, {
        kind: 'notified',
        at: Date.now(),
        text: `${notify}: e-mailed to ${mailed} contact${mailed === 1 ? '' : 's'}`,
        data: { say: 'mailedTo', event: notify, n: mailed },
      });
    }
  }

  /** The incident, or 404. */
  get(id: number): Incident {
    const incident = this.store.get(id);
    if (!incident) throw new HttpError(404, `no incident #${id}`);
    return incident;
  }

  list(q: IncidentQuery, sites: readonly string[] | null): Incident[] {
    return this.store.list(q, sites);
  }

  detail(id: number): IncidentDetail {
    return { incident: this.get(id), timeline: this.store.timeline(id) };
  }

  #active(id: number, doing: string): Incident {
    const incident = this.get(id);
    if (incident.state === 'resolved') throw new HttpError(409, `incident #${id} is already resolved; it cannot be ${doing}`);
    return incident;
  }

  acknowledge(id: number, by: SessionUser, comment: string): Incident {
    const incident = this.#active(id, 'acknowledged');
    if (incident.state === 'acknowledged')
      throw new HttpError(409, `incident #${id} was already acknowledged by ${incident.acknowledgedBy}`);
    const now = Date.now();
    const updated = this.store.update(id, { state: 'acknowledged', acknowledgedAt: now, acknowledgedBy: by.username }, [
      { kind: 'acknowledged', at: now, by: by.username, text: comment || 'acknowledged' },
    ]);
    this.audit.record(by.username, 'incident.acknowledge', `incident:${id}`, { comment });
    this.engine.publish(updated, 'acknowledged');
    return updated;
  }

  comment(id: number, by: SessionUser, text: string): Incident {
    // A comment adds to the timeline; the incident itself is unchanged.
    const incident = this.get(id);
    this.store.addEntry(id, { kind: 'comment', at: Date.now(), by: by.username, text });
    this.audit.record(by.username, 'incident.comment', `incident:${id}`, { text });
    this.#onChange(incident);
    return incident;
  }

  resolve(id: number, by: SessionUser, cause: string): Incident {
    this.#active(id, 'resolved again');
    const now = Date.now();
    const updated = this.store.update(id, { state: 'resolved', resolvedAt: now, resolvedBy: by.username, resolveCause: cause }, [
      { kind: 'resolved', at: now, by: by.username, text: cause },
    ]);
    this.engine.resolvedByHand(updated);
    this.audit.record(by.username, 'incident.resolve', `incident:${id}`, { cause });
    this.engine.publish(updated, 'resolved');
    return updated;
  }

  #linkOnly(incident: Incident, what: string): void {
    if (!LINK_RULES.includes(incident.rule)) {
      throw new HttpError(400, `${what} belongs to a lost or degraded link (${LINK_RULES.join(', ')}), not to ${incident.rule}`);
    }
  }

  setIspTicket(id: number, by: SessionUser, ticket: IspTicket): Incident {
    const incident = this.get(id);
    this.#linkOnly(incident, 'an ISP ticket');
    const now = Date.now();
    const eta = ticket.expectedAt === null ? 'no expected time' : `expected by ${new Date(ticket.expectedAt).toISOString()}`;
    const updated = this.store.update(id, { isp: ticket }, [
      {
        kind: 'isp',
        at: now,
        by: by.username,
        text: `${ticket.provider}${ticket.ticket ? ` ticket ${ticket.ticket}` : ''}: ${eta}`,
        data: { say: 'isp', ...ticket },
      },
    ]);
    this.audit.record(by.username, 'incident.isp', `incident:${id}`, ticket);
    this.#onChange(updated);
    return updated;
  }

  chairInformed(id: number, by: SessionUser, comment: string): Incident {
    const incident = this.get(id);
    this.#linkOnly(incident, 'telling the chair');
    const now = Date.now();
    const updated = this.store.update(id, { chairInformedAt: now, chairInformedBy: by.username }, [
      { kind: 'chair-informed', at: now, by: by.username, text: comment || 'the chair was told' },
    ]);
    this.audit.record(by.username, 'incident.chair-informed', `incident:${id}`, { comment });
    const mailed = this.#mail?.chairInformed(updated, by.username, comment) ?? 0;
    if (mailed > 0) {
      this.store.addEntry(id, {
        kind: 'notified',
        at: Date.now(),
        text: `chair informed: e-mailed to ${mailed} chair${mailed === 1 ? '' : 's'}`,
        data: { say: 'mailedChair', n: mailed },
      });
    }
    this.#onChange(updated);
    return updated;
  }

  createWindow(input: MaintenanceInput, by: SessionUser): MaintenanceWindow {
    const w = this.windows.create(input, by.username);
    this.audit.record(by.username, 'maintenance.create', `window:${w.id}`, input);
    return w;
  }

  endWindow(id: number, by: SessionUser): MaintenanceWindow {
    const w = this.windows.end(id);
    if (!w) throw new HttpError(404, `no maintenance window #${id}`);
    this.audit.record(by.username, 'maintenance.end', `window:${id}`);
    return w;
  }

  async replaceRules(value: unknown, by: SessionUser): Promise<IncidentRules> {
    const before = this.settings.current;
    const next = await this.settings.replace(value);
    this.audit.record(by.username, 'rules.replace', 'incident-rules', { changed: changedValues(before, next) });
    return next;
  }
}
