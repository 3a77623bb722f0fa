// The site registry: every point of the online-room network (Điều 2 of the
// regulation). One `main` point (the Sở), one `backup` control point
// (TTGDTX Thành phố) and a `site` for each district centre and the provincial centre.
import { z } from 'zod';

export const SITE_ROLES = ['main', 'backup', 'site'] as const;
export type SiteRole = (typeof SITE_ROLES)[number];

/** At most 40 attendees per point (Điều 2.3, 4.3). */
export const MAX_SEATS_PER_SITE = 40;

export const siteSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case letters and digits joined by single hyphens')
    .max(40),
  name: z.string().trim().min(1, 'must not be empty').max(120),
  shortName: z.string().trim().min(1, 'must not be empty').max(24),
  role: z.enum(SITE_ROLES),
});

export type Site = z.infer<typeof siteSchema>;

export const registrySchema = z
  .strictObject({
    sites: z.array(siteSchema).min(1, 'must list at least one site'),
  })
  .superRefine((registry, ctx) => {
    const seen = new Map<string, number>();
    registry.sites.forEach((site, index) => {
      const first = seen.get(site.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', index, 'id'],
          message: `duplicate id "${site.id}" (already used by sites[${first}])`,
        });
      } else {
        seen.set(site.id, index);
      }
    });
    for (const role of ['main', 'backup'] as const) {
      const holders = registry.sites.flatMap((s, i) => (s.role === role ? [i] : []));
      if (holders.length !== 1) {
        const path = holders.length > 1 ? ['sites', holders[1]!, 'role'] : ['sites'];
        ctx.addIssue({
          code: 'custom',
          path,
          message: `exactly one site must have role "${role}" (found ${holders.length})`,
        });
      }
    }
  });

export type SiteRegistry = z.infer<typeof registrySchema>;
