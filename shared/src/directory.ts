// The technician directory (Điều 10.3, 11.2) and each site's equipment, read
// from shared/data/directory.json.
import { z } from 'zod';
import type { Site } from './sites.ts';

/**
 * Who a contact is for the network: a site's technician (the control centre's when the site is the main or
 * backup point), the Internet provider's contact for a site's link, or the meeting's chair (told of a lost link).
 */
export const CONTACT_KINDS = ['technician', 'isp', 'chair'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const contactSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  unit: z.string().trim().min(1).max(120),
  /** What they do for the network, e.g. "Kỹ thuật viên trung tâm điều khiển". */
  duty: z.string().trim().min(1).max(120),
  phone: z.string().regex(/^[0-9 +().-]{6,20}$/, 'must be a phone number'),
  email: z.email(),
  /** The site they work at (an ISP contact: the site whose link they serve). */
  site: z.string().trim().min(1, 'must name a site').max(40),
  /** Technicians when the file does not say. */
  kind: z.enum(CONTACT_KINDS).default('technician'),
});
export type Contact = z.infer<typeof contactSchema>;

/** A contact as the NOC keeps it (node:sqlite): the file seeds it once, then admins edit it. */
export interface DirectoryContact extends Contact {
  id: number;
  updatedAt: number;
}

export const equipmentSchema = z.strictObject({
  /** camera, microphone, speaker, display, codec-pc, ups, switch, router, sensor … */
  kind: z.string().trim().min(1).max(40),
  model: z.string().trim().min(1).max(120),
  note: z.string().trim().max(200).optional(),
});
export type Equipment = z.infer<typeof equipmentSchema>;

export const directorySchema = z.strictObject({
  contacts: z.array(contactSchema),
  /** Equipment per site id. */
  equipment: z.record(z.string(), z.array(equipmentSchema)),
});
export type Directory = z.infer<typeof directorySchema>;

/** `GET /api/sites/:id/profile` */
export interface SiteProfile {
  site: Site;
  equipment: Equipment[];
  /** The site's own technicians, then the control centre's (main and backup points). */
  contacts: Contact[];
}
