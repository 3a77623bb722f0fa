// Who may use the dashboard, and the shapes of the sign-in and admin API.
// The server checks every route and live-feed subscription against these roles
// (README.md, "Signing in"); the pages only hide what the server would refuse anyway.
import { z } from 'zod';

export const USER_ROLES = ['admin', 'operator', 'chair', 'technician', 'wall'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles that see every site; a technician sees only the site it is bound to. */
export const ALL_SITES_ROLES: readonly UserRole[] = ['admin', 'operator', 'chair', 'wall'];

/** The signed-in user as the pages see it (`GET /api/auth/me`). */
export interface SessionUser {
  username: string;
  displayName: string;
  role: UserRole;
  /** The technician's site; null for every other role. */
  site: string | null;
}

/** May this user read the data of `site`? */
export function canSeeSite(user: Pick<SessionUser, 'role' | 'site'>, site: string): boolean {
  return ALL_SITES_ROLES.includes(user.role) || (user.role === 'technician' && user.site === site);
}

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, 'must be 2-40 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');
export const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(200);

/** `POST /api/auth/login` */
export const loginSchema = z.strictObject({
  username: z.string().min(1).max(40),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof loginSchema>;

/** `POST /api/auth/display`: a wall screen signs in with its display token. */
export const displaySignInSchema = z.strictObject({ token: z.string().min(20).max(200) });

/** `POST /api/admin/users` */
export const newUserSchema = z
  .strictObject({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(80),
    role: z.enum(USER_ROLES).exclude(['wall']),
    site: z.string().max(40).nullable().default(null),
    password: passwordSchema,
  })
  .superRefine((u, ctx) => {
    if (u.role === 'technician' && !u.site)
      ctx.addIssue({ code: 'custom', path: ['site'], message: 'a technician must be bound to a site' });
    if (u.role !== 'technician' && u.site)
      ctx.addIssue({ code: 'custom', path: ['site'], message: 'only a technician is bound to a site' });
  });
export type NewUser = z.infer<typeof newUserSchema>;

/** `PATCH /api/admin/users/:username`: any subset; the same rules as a new user. */
export const userPatchSchema = z
  .strictObject({
    displayName: z.string().trim().min(1).max(80),
    role: z.enum(USER_ROLES).exclude(['wall']),
    site: z.string().max(40).nullable(),
    password: passwordSchema,
    disabled: z.boolean(),
  })
  .partial();
export type UserPatch = z.infer<typeof userPatchSchema>;

/** A user as the admin page lists it (never the password hash). */
export interface UserRecord extends SessionUser {
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

/** `POST /api/admin/display-tokens` */
export const newDisplayTokenSchema = z.strictObject({ label: z.string().trim().min(1).max(80) });

/** A wall screen's token as listed; the token itself is shown once, when created. */
export interface DisplayTokenRecord {
  id: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  revoked: boolean;
}

/** `POST /api/admin/display-tokens` answers this once: the token is not stored in clear. */
export interface NewDisplayTokenAnswer {
  record: DisplayTokenRecord;
  token: string;
}

/**
 * `GET /api/auth/signalling-token?meeting=…`: an SFU access token for the
 * signed-in user (operator/chair/admin → operator or chair; technician → its
 * site), so desk pages need no token in the address. With `meeting`, a token
 * for that meeting only, and only for a meeting the SFU carries now that the
 * user may see (a technician: one its site is invited to); else 404 naming it.
 */
export interface SignallingTokenAnswer {
  token: string;
  expiresAt: number;
}
