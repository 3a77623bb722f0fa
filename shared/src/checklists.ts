// A site's own checklists for one occurrence of a plan: before the meeting
// (Điều 8.3: equipment, mains and backup power, sound, picture, camera frame)
// and after it (Điều 9.2: equipment off, power cut). What a technician sends
// to tick one, and the record the NOC keeps (who ticked it, in which role).
// Pure: runs in Node and the browser.
import { z } from 'zod';
import type { PlanOccurrence } from './meeting-plans.ts';
import {
  CHECKLIST_KINDS,
  PRE_MEETING_ITEMS,
  SHUTDOWN_ITEMS,
  type ChecklistItem,
  type ChecklistKind,
  type ChecklistRecord,
} from './readiness.ts';

/** The items of each kind of checklist, in the regulation's order. */
export const CHECKLIST_ITEMS: Record<ChecklistKind, readonly ChecklistItem[]> = {
  pre: PRE_MEETING_ITEMS,
  shutdown: SHUTDOWN_ITEMS,
};

/** Who may tick a site's checklist: its own technician, or the control centre acting for the site. */
export const CHECKLIST_ACTORS = ['technician', 'admin', 'operator'] as const;
export type ChecklistActor = (typeof CHECKLIST_ACTORS)[number];

/** One item as ticked: fine, or found wrong with a note saying what is wrong. */
export const checklistItemCheckSchema = z
  .strictObject({
    ok: z.boolean({ error: 'must be true (fine) or false (found wrong)' }),
    note: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  })
  .refine((c) => c.ok || (c.note !== undefined && c.note.length > 0), {
    message: 'an item found wrong needs a note saying what is wrong',
    path: ['note'],
  });

const ALL_ITEMS = [...PRE_MEETING_ITEMS, ...SHUTDOWN_ITEMS] as const;

/**
 * `PUT /api/checklists/:occurrence/:site/:kind`: the items looked at (any of both
 * lists here; the server refuses, naming it, an item not of the kind in the path).
 */
export const checklistInputSchema = z.strictObject({
  items: z
    .strictObject(
      Object.fromEntries(ALL_ITEMS.map((item) => [item, checklistItemCheckSchema.optional()])) as Record<
        ChecklistItem,
        z.ZodOptional<typeof checklistItemCheckSchema>
      >,
    )
    .refine((items) => Object.values(items).some((v) => v !== undefined), 'must tick at least one item'),
});
export type ChecklistInput = z.infer<typeof checklistInputSchema>;

export const checklistParamsSchema = z.object({
  occurrence: z.string().min(1, 'must name an occurrence').max(80, 'must be at most 80 characters'),
  site: z.string().min(1, 'must name a site').max(40, 'must be at most 40 characters'),
  kind: z.enum(CHECKLIST_KINDS, { error: `must be one of: ${CHECKLIST_KINDS.join(', ')}` }),
});

/** The items of `input` that are not items of `kind`'s list (the first one is named in the 400). */
export function itemsNotOf(kind: ChecklistKind, items: ChecklistInput['items']): string[] {
  const own = new Set<string>(CHECKLIST_ITEMS[kind]);
  return Object.entries(items)
    .filter(([item, check]) => check !== undefined && !own.has(item))
    .map(([item]) => item);
}

/** A checklist as the NOC keeps it: who ticked it (`by`, a username), their name and their role. */
export interface SavedChecklist extends ChecklistRecord {
  byName: string;
  /** `technician`: the site's own; `admin` or `operator`: the control centre acting for the site. */
  byRole: ChecklistActor;
}

/** Every item of the list looked at and found fine. */
export function checklistComplete(record: Pick<ChecklistRecord, 'kind' | 'items'> | null): boolean {
  return record !== null && CHECKLIST_ITEMS[record.kind].every((item) => record.items[item]?.ok === true);
}

/** The items found wrong. */
export function itemsFoundWrong(record: Pick<ChecklistRecord, 'items'> | null): ChecklistItem[] {
  if (!record) return [];
  return (Object.entries(record.items) as [ChecklistItem, { ok: boolean } | undefined][])
    .filter(([, check]) => check?.ok === false)
    .map(([item]) => item);
}

/** What a site's page shows: the next meeting that invites it with its checklist, and the last one with its shutdown checklist. */
export interface SiteChecklists {
  site: string;
  /** Running or coming; its shutdown checklist too once it has begun. */
  next: { occurrence: PlanOccurrence; checklist: SavedChecklist | null; shutdown: SavedChecklist | null } | null;
  last: { occurrence: PlanOccurrence; shutdown: SavedChecklist | null; overdue: boolean; overdueAt: number } | null;
}
