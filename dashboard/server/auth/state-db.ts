// The NOC server's own state in node:sqlite (`<dataDir>/noc.db`, WAL, mode 600): users,
// sessions and wall display tokens; incidents and their timelines, maintenance
// windows, webhooks and their delivery log, the audit log; capacity-test runs; the replay log
// (meetings and SFU node states as they changed). Schema changes are numbered migrations
// recorded in `PRAGMA user_version`.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const MIGRATIONS: string[] = [
  `CREATE TABLE users (
     username TEXT PRIMARY KEY,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL,
     site TEXT,
     password_hash TEXT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0,
     demo INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     last_login_at INTEGER
   );
   CREATE TABLE display_tokens (
     id TEXT PRIMARY KEY,
     label TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     demo INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER,
     revoked_at INTEGER
   );
   CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     username TEXT REFERENCES users (username) ON DELETE CASCADE,
     display_token_id TEXT REFERENCES display_tokens (id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     idle_ms INTEGER NOT NULL,
     CHECK ((username IS NULL) <> (display_token_id IS NULL))
   );
   CREATE INDEX sessions_by_user ON sessions (username);
   CREATE INDEX sessions_by_display ON sessions (display_token_id);
   CREATE INDEX sessions_by_expiry ON sessions (expires_at);`,
  // Incidents, their timelines, maintenance windows, webhooks and their deliveries, the audit log.
  `CREATE TABLE incidents (
     id INTEGER PRIMARY KEY,
     site TEXT NOT NULL,
     rule TEXT NOT NULL,
     severity TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
     params TEXT NOT NULL,
     opened_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     reopen_count INTEGER NOT NULL DEFAULT 0,
     acknowledged_at INTEGER,
     acknowledged_by TEXT,
     resolved_at INTEGER,
     resolved_by TEXT,
     resolve_cause TEXT,
     suppressed_by INTEGER REFERENCES incidents (id),
     maintenance_window INTEGER,
     meeting TEXT,
     isp TEXT,
     chair_informed_at INTEGER,
     chair_informed_by TEXT,
     escalated_at INTEGER
   );
   -- One cause at one site has at most one incident that is not resolved.
   CREATE UNIQUE INDEX incidents_active ON incidents (site, rule) WHERE state <> 'resolved';
   CREATE INDEX incidents_by_opening ON incidents (opened_at);
   CREATE TABLE incident_events (
     id INTEGER PRIMARY KEY,
     incident INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
     at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     by TEXT,
     text TEXT NOT NULL,
     data TEXT
   );
   CREATE INDEX incident_events_by_incident ON incident_events (incident, id);
   CREATE TABLE maintenance_windows (
     id INTEGER PRIMARY KEY,
     site TEXT,
     reason TEXT NOT NULL,
     starts_at INTEGER,
     ends_at INTEGER,
     weekly TEXT,
     created_by TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE webhooks (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL,
     url TEXT NOT NULL,
     secret TEXT NOT NULL,
     min_severity TEXT NOT NULL,
     escalation INTEGER NOT NULL DEFAULT 0,
     enabled INTEGER NOT NULL DEFAULT 1,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE webhook_deliveries (
     id INTEGER PRIMARY KEY,
     webhook INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
     incident INTEGER,
     event TEXT NOT NULL,
     payload TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
     last_status INTEGER,
     last_error TEXT,
     created_at INTEGER NOT NULL,
     next_attempt_at INTEGER,
     delivered_at INTEGER
   );
   CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     by TEXT,
     action TEXT NOT NULL,
     target TEXT NOT NULL,
     detail TEXT
   );
   CREATE TABLE marks (key TEXT PRIMARY KEY, value INTEGER NOT NULL);`,
  // When the webhooks were told of an incident: what they heard open they also hear resolved.
  `ALTER TABLE incidents ADD COLUMN announced_at INTEGER;
   UPDATE incidents SET announced_at = opened_at WHERE state <> 'resolved' AND suppressed_by IS NULL AND maintenance_window IS NULL;`,
  // Capacity-test runs and the figures each reported while it ran.
  `CREATE TABLE load_test_runs (
     id INTEGER PRIMARY KEY,
     settings TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'stopping', 'finished', 'stopped', 'failed')),
     started_by TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     reason TEXT,
     summary TEXT,
     curve TEXT NOT NULL DEFAULT '[]',
     verdict TEXT
   );
   CREATE TABLE load_test_figures (
     id INTEGER PRIMARY KEY,
     run INTEGER NOT NULL REFERENCES load_test_runs (id) ON DELETE CASCADE,
     t INTEGER NOT NULL,
     figures TEXT NOT NULL
   );
   CREATE INDEX load_test_figures_by_run ON load_test_figures (run, id);`,
  // What the NOC saw change that no sample records, for replays: the meetings the SFU nodes carry, the nodes' states.
  `CREATE TABLE replay_log (
     id INTEGER PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('meetings', 'topology')),
     at INTEGER NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX replay_log_by_time ON replay_log (kind, at);`,
  // ---- Meeting plans (Điều 7): the plans, the admin's calendar, the regular-meetings seed, the SFU meetings opened ----
  `CREATE TABLE meeting_plans (
     id INTEGER PRIMARY KEY,
     body TEXT NOT NULL,
     seeded INTEGER NOT NULL DEFAULT 0,
     created_by TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE plan_calendar (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     shift TEXT NOT NULL CHECK (shift IN ('earlier', 'later')),
     holidays TEXT NOT NULL
   );
   CREATE TABLE plan_seed (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     file TEXT NOT NULL,
     plans INTEGER NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE TABLE plan_openings (
     occurrence TEXT PRIMARY KEY,
     plan INTEGER NOT NULL REFERENCES meeting_plans (id) ON DELETE CASCADE,
     meeting_id TEXT,
     opened_at INTEGER,
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT
   );`,
  // ---- Readiness before a meeting (Điều 8.2): each site's check per occurrence, the runs, the admin's settings ----
  `CREATE TABLE readiness (
     occurrence TEXT NOT NULL,
     site TEXT NOT NULL,
     title TEXT NOT NULL,
     starts_at INTEGER NOT NULL,
     ends_at INTEGER NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('ready', 'not-ready', 'not-checked')),
     reasons TEXT NOT NULL,
     checked_by TEXT,
     checked_at INTEGER,
     test_call TEXT,
     checklist TEXT,
     PRIMARY KEY (occurrence, site)
   );
   CREATE INDEX readiness_by_start ON readiness (starts_at);
   CREATE TABLE readiness_runs (
     id INTEGER PRIMARY KEY,
     occurrence TEXT NOT NULL,
     automatic INTEGER NOT NULL,
     started_by TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     error TEXT
   );
   CREATE INDEX readiness_runs_by_occurrence ON readiness_runs (occurrence, id);
   CREATE TABLE readiness_settings (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL);`,
  // --- checklists: the sites' checklists per occurrence, and the meetings' joins, drops and floor changes.
  `CREATE TABLE checklists (
     occurrence TEXT NOT NULL,
     site TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('pre', 'shutdown')),
     items TEXT NOT NULL,
     by TEXT NOT NULL,
     by_name TEXT NOT NULL,
     by_role TEXT NOT NULL CHECK (by_role IN ('technician', 'admin', 'operator')),
     at INTEGER NOT NULL,
     PRIMARY KEY (occurrence, site, kind)
   );
   CREATE TABLE meeting_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     meeting TEXT NOT NULL,
     at INTEGER NOT NULL,
     type TEXT NOT NULL,
     site TEXT,
     seats INTEGER
   );
   CREATE INDEX meeting_events_by_time ON meeting_events (at);`,
  // ---- E-mail and the directory ----
  // The directory's contacts (seeded once from the file), the e-mail outbox, the mail settings, and the audit log by time.
  `CREATE TABLE directory_contacts (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL,
     unit TEXT NOT NULL,
     duty TEXT NOT NULL,
     phone TEXT NOT NULL,
     email TEXT NOT NULL,
     site TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('technician', 'isp', 'chair')),
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE mail_outbox (
     id INTEGER PRIMARY KEY,
     kind TEXT NOT NULL,
     incident INTEGER,
     event TEXT NOT NULL,
     recipient TEXT NOT NULL,
     subject TEXT NOT NULL,
     body TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
     last_error TEXT,
     created_at INTEGER NOT NULL,
     next_attempt_at INTEGER,
     sent_at INTEGER
   );
   CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
   CREATE TABLE mail_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE INDEX audit_log_by_time ON audit_log (at);`,
  // ---- reports: the meetings the SFU nodes carried, kept 400 days (reports/meeting-history.ts) ----
  `CREATE TABLE meeting_history (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     title TEXT NOT NULL,
     invited_sites TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     load_test INTEGER NOT NULL
   );
   CREATE INDEX meeting_history_by_time ON meeting_history (started_at);`,
];

export function openStateDb(file: string): DatabaseSync {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    // Password and session hashes: owner only (SQLite gives its -wal and -shm files the same mode).
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
  if (version > MIGRATIONS.length) {
    db.close();
    throw new Error(`${file} was written by a newer NOC server (schema ${version}; this one knows ${MIGRATIONS.length})`);
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.exec('BEGIN');
    try {
      db.exec(MIGRATIONS[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      db.close();
      throw err;
    }
  }
  return db;
}

/** Runs `work` in one transaction; inside another, as part of that one (committed, or rolled back, with it). */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  if (db.isTransaction) return work();
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
