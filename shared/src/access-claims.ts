// What an access token says about its holder. Kept apart from the signing
// code (node:crypto) so the browser can read the same types.
import { z } from 'zod';

export const ACCESS_ROLES = ['operator', 'chair', 'site', 'seat', 'wall'] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

export const accessClaimsSchema = z.strictObject({
  role: z.enum(ACCESS_ROLES),
  /** Required for `site` and `seat`. */
  site: z.string().max(40).optional(),
  /** The meeting the holder may join; operators and the wall may omit it (every meeting). */
  meeting: z.string().max(64).optional(),
  /** A display name (a person or a seat label). */
  name: z.string().max(80).optional(),
  /**
   * A load-test token: it may create load-test meetings and use plain RTP
   * transports in them. Only the NOC's load-test runner issues such tokens.
   */
  loadTest: z.boolean().optional(),
  /**
   * A readiness token: it may create test-call meetings (the readiness check a
   * day before a meeting, Điều 8.2). Only the NOC's readiness run issues such tokens.
   */
  testCall: z.boolean().optional(),
  /** Expiry, ms since the epoch. */
  exp: z.number().int(),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;
