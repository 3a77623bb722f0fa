// Readiness before a meeting (Điều 8): the backup control point's test call
// with every invited site, the site's latest power and room data, its own
// equipment checklist (Điều 8.3) and, for a big training, the last capacity
// test's verdict, summed up per site as ready, not ready or not checked; and
// the shutdown checklist after the meeting (Điều 9.2). Pure types and item
// lists, shared by the server and the pages.

export const READINESS_STATES = ['ready', 'not-ready', 'not-checked'] as const;
export type ReadinessState = (typeof READINESS_STATES)[number];

/** The site's own checks before a meeting (Điều 8.3). */
export const PRE_MEETING_ITEMS = ['equipment', 'mains-power', 'backup-power', 'sound', 'picture', 'camera-frame'] as const;
/** The checks after it (Điều 9.2): equipment off, power cut. */
export const SHUTDOWN_ITEMS = ['equipment-off', 'power-cut'] as const;
export const CHECKLIST_KINDS = ['pre', 'shutdown'] as const;
export type ChecklistKind = (typeof CHECKLIST_KINDS)[number];
export type ChecklistItem = (typeof PRE_MEETING_ITEMS)[number] | (typeof SHUTDOWN_ITEMS)[number];

/** A site's checklist for one occurrence of a plan, as its technician ticked it. */
export interface ChecklistRecord {
  occurrence: string;
  site: string;
  kind: ChecklistKind;
  /** Each item: ticked (true), found wrong (false, with a note), or not yet looked at (absent). */
  items: Partial<Record<ChecklistItem, { ok: boolean; note?: string }>>;
  by: string;
  at: number;
}

/** The media measured during a site's test call, both ways (send: site → SFU, recv: SFU → site). */
export interface TestCallFigures {
  durationMs: number;
  send: { lossPct: number | null; jitterMs: number | null; fps: number | null; audioLevel: number | null };
  recv: { lossPct: number | null; jitterMs: number | null; fps: number | null; audioLevel: number | null };
  rttMs: number | null;
}

/** Why a site is not ready, or not checked: a code the pages word, with its figures. */
export interface ReadinessReason {
  code: string;
  params?: Record<string, string | number>;
}

/** One site's readiness for one occurrence. */
export interface SiteReadiness {
  occurrence: string;
  site: string;
  state: ReadinessState;
  reasons: ReadinessReason[];
  /** Who checked (a username, or "tự động" for the automatic run) and when; null when not checked. */
  checkedBy: string | null;
  checkedAt: number | null;
  testCall: TestCallFigures | null;
  checklist: ChecklistRecord | null;
  /** After the meeting: the shutdown checklist, and whether it is overdue (30 min after the end, not ticked). */
  shutdown: ChecklistRecord | null;
  shutdownOverdue: boolean;
}
