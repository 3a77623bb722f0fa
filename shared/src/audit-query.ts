// Filters of the audit log (`GET /api/admin/audit`): who, which action, which
// target, a time range, and paging, newest first.
import { z } from 'zod';
import type { AuditEntry } from './incidents.ts';
import { queryEpochMs, queryNumber } from './query-number.ts';

const text = z.string().trim().max(120).optional();

export const auditQuerySchema = z
  .strictObject({
    /** The username, exactly. */
    by: text,
    /** An action, exactly (`incident.acknowledge`), or a family of them ending in a dot (`incident.`). */
    action: text,
    /** A target, exactly (`incident:12`), or every target of a kind ending in a colon (`incident:`). */
    target: text,
    from: queryEpochMs.optional(),
    to: queryEpochMs.optional(),
    limit: queryNumber('a count').pipe(z.number().min(1).max(500)).default(50),
    offset: queryNumber('a count').default(0),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'must be after from', path: ['to'] });
export type AuditQuery = z.output<typeof auditQuerySchema>;

export interface AuditPage {
  entries: AuditEntry[];
  /** How many entries match the filters (all pages together). */
  total: number;
}
