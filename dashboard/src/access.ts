// Which desk pages each role may open, and where each role lands. The router
// guard and the navigation bar both read this, so the bar never shows a link
// the guard would refuse. The pages that work on the API's data open to the
// roles its routes are for (@noc/shared/access-roles, read by the server's
// route table too); the server enforces the same rules on the data.
import type { SessionUser, UserRole } from '@noc/shared/auth';
import { canSeeSite } from '@noc/shared/auth';
import {
  ADMIN,
  INCIDENT_ACT,
  INCIDENT_NOTE,
  INCIDENT_READ,
  LOAD_TEST_RUN,
  MAINTENANCE_SET,
  PLAN_CALENDAR,
  PLAN_WRITE,
  REPLAY_VIEW,
  REPORT_VIEW,
  RULES_EDIT,
  // --- checklists
  READINESS_BOARD,
} from '@noc/shared/access-roles';

export const WALL_ROLES: readonly UserRole[] = ['admin', 'operator', 'chair', 'wall'];
export const SITE_ROLES: readonly UserRole[] = ['admin', 'operator', 'chair', 'wall', 'technician'];
export const CONTROL_ROLES: readonly UserRole[] = ['admin', 'operator', 'chair'];
export const ROOM_ROLES: readonly UserRole[] = ['technician'];
export const ADMIN_ROLES: readonly UserRole[] = ADMIN;
/** The incident list and each incident: every role reads them (a technician its own site's; the wall only reads). */
export const INCIDENT_ROLES: readonly UserRole[] = INCIDENT_READ;
/** Who works on an incident: acknowledge, resolve, the provider ticket (a technician at its own site). */
export const INCIDENT_ACT_ROLES: readonly UserRole[] = INCIDENT_ACT;
/** Who adds to an incident's record: comments and "chair informed". */
export const INCIDENT_NOTE_ROLES: readonly UserRole[] = INCIDENT_NOTE;
/** Who sets maintenance windows (a technician for its own site only). */
export const MAINTENANCE_ROLES: readonly UserRole[] = MAINTENANCE_SET;
/** Who edits the incident rules' thresholds. */
export const RULES_ROLES: readonly UserRole[] = RULES_EDIT;
/** Who runs capacity tests and reads their results. */
export const LOAD_TEST_ROLES: readonly UserRole[] = LOAD_TEST_RUN;

// ---- Meeting plans (Điều 7) ----
/** Who opens the plan editor (every signed-in role reads plans through the API; these write them). */
export const PLAN_ROLES: readonly UserRole[] = PLAN_WRITE;
/** Who sets the holidays and the move rule on it. */
export const PLAN_CALENDAR_ROLES: readonly UserRole[] = PLAN_CALENDAR;
// --- checklists
/** The readiness board: the control centre, the chair and the wall. */
export const READINESS_ROLES: readonly UserRole[] = READINESS_BOARD;

/** Who gets the time control on the wall and the site page (not the wall's display token). */
export const REPLAY_ROLES: readonly UserRole[] = REPLAY_VIEW;

// ---- reports ----
/** Who reads the yearly and per-meeting reports. */
export const REPORT_ROLES: readonly UserRole[] = REPORT_VIEW;

/** Where `/` sends each role. */
export function homeOf(user: Pick<SessionUser, 'role' | 'site'>): string {
  switch (user.role) {
    case 'admin':
      return '/admin';
    case 'technician':
      return user.site ? `/site/${encodeURIComponent(user.site)}` : '/signin';
    default:
      return '/wall';
  }
}

export type Refusal = 'role' | 'site';

/** Why `user` may not open a page with these roles (and this site), or null when it may. */
export function refusal(user: Pick<SessionUser, 'role' | 'site'>, roles: readonly UserRole[], site?: string): Refusal | null {
  if (!roles.includes(user.role)) return 'role';
  if (site !== undefined && !canSeeSite(user, site)) return 'site';
  return null;
}

/** Only paths of this app: `next=` must not send anyone to another origin. */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next.startsWith('/signin')) return null;
  return next;
}
