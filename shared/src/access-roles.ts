// The roles each part of the NOC is for, written once: the server's route
// table (http-api.ts) and the dashboard's page guard both read these lists.
import { USER_ROLES, type UserRole } from './auth.ts';

/** Every signed-in role. */
export const SIGNED_IN: readonly UserRole[] = USER_ROLES;
export const ADMIN: readonly UserRole[] = ['admin'];
/** The incident list and each incident: every role reads them (a technician its own site's; the wall only reads). */
export const INCIDENT_READ: readonly UserRole[] = SIGNED_IN;
/** Who works on an incident: acknowledge, resolve, the provider ticket (a technician at its own site). */
export const INCIDENT_ACT: readonly UserRole[] = ['admin', 'operator', 'technician'];
/** Who adds to an incident's record: comments and "chair informed". */
export const INCIDENT_NOTE: readonly UserRole[] = ['admin', 'operator', 'technician', 'chair'];
/** Who sets and ends maintenance windows (a technician for its own site only). */
export const MAINTENANCE_SET: readonly UserRole[] = ['admin', 'operator', 'technician'];
/** Who replaces the incident rules' thresholds. */
export const RULES_EDIT: readonly UserRole[] = ['admin'];
/** Who configures, starts and stops capacity tests, and reads their runs. */
export const LOAD_TEST_RUN: readonly UserRole[] = ['admin', 'operator'];
/**
 * Who may look at the network as it was at a past moment (the wall's and a site page's time control):
 * the control centre's people, and a technician for its own site. Not the wall's display token.
 */
export const REPLAY_VIEW: readonly UserRole[] = ['admin', 'operator', 'chair', 'technician'];

// ---- Meeting plans (Điều 7) ----
/** Who makes, changes and deletes meeting plans (every signed-in role reads them; a technician those inviting its site). */
export const PLAN_WRITE: readonly UserRole[] = ['admin', 'operator'];
/** Who sets the plans' calendar: the holidays and how a date off moves. */
export const PLAN_CALENDAR: readonly UserRole[] = ['admin'];

// ---- Readiness before a meeting (Điều 8.2) ----
/** Who reads an occurrence's readiness: the control centre, the chair, the wall, a technician its own site's. */
export const READINESS_VIEW: readonly UserRole[] = SIGNED_IN;
/** Who starts a readiness check at once, and reads its settings. */
export const READINESS_RUN: readonly UserRole[] = ['admin', 'operator'];
/** Who sets the readiness settings (the size of a big meeting). */
export const READINESS_SETTINGS: readonly UserRole[] = ['admin'];
// --- checklists
/** Who ticks a site's checklists: its own technician, or the control centre acting for the site. */
export const CHECKLIST_TICK: readonly UserRole[] = ['admin', 'operator', 'technician'];
/** The readiness board and the meetings' timelines: the control centre, the chair and the wall. */
export const READINESS_BOARD: readonly UserRole[] = ['admin', 'operator', 'chair', 'wall'];
// ---- reports ----
/** Who reads the yearly and per-meeting reports (Điều 11.4) and downloads them: the control centre's people and the chair. */
export const REPORT_VIEW: readonly UserRole[] = ['admin', 'operator', 'chair'];
