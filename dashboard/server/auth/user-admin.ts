// The rules of managing users (the admin API): a technician's site must be in
// the registry; an admin cannot delete, demote or disable their own account;
// at least one enabled admin remains; a user who is disabled, deleted, gets a
// new password, role or site is signed out everywhere.
import type { NewUser, SessionUser, UserPatch, UserRecord } from '@noc/shared/auth';
import type { Site } from '@noc/shared/sites';
import { HttpError } from '../errors.ts';
import { hashPassword } from './passwords.ts';
import type { SessionStore } from './session-store.ts';
import { userRecord, type UserFields, type UserStore } from './user-store.ts';

/** Who is acting: the signed-in admin and their session. */
export interface Actor {
  user: SessionUser;
  sessionId: string;
}

export class UserAdmin {
  #users: UserStore;
  #sessions: SessionStore;
  #sites: ReadonlyMap<string, Site>;

  constructor(users: UserStore, sessions: SessionStore, sites: ReadonlyMap<string, Site>) {
    this.#users = users;
    this.#sessions = sessions;
    this.#sites = sites;
  }

  list(): UserRecord[] {
    return this.#users.list().map(userRecord);
  }

  async create(input: NewUser): Promise<UserRecord> {
    this.#checkSite(input.role, input.site);
    if (this.#users.get(input.username)) throw new HttpError(409, `username: "${input.username}" is already taken`, 'username');
    const fields: UserFields = {
      displayName: input.displayName,
      role: input.role,
      site: input.site,
      passwordHash: await hashPassword(input.password),
      disabled: false,
    };
    if (!this.#users.insert(input.username, fields)) throw new HttpError(409, `username: "${input.username}" is already taken`, 'username');
    return userRecord(this.#users.get(input.username)!);
  }

  async update(actor: Actor, username: string, patch: UserPatch): Promise<UserRecord> {
    const current = this.#found(username);
    const role = patch.role ?? current.role;
    // Leaving the technician role leaves the site too, unless the patch says otherwise.
    const site = patch.site !== undefined ? patch.site : patch.role && patch.role !== 'technician' ? null : current.site;
    this.#checkSite(role, site);
    const disabled = patch.disabled ?? current.disabled;
    const self = actor.user.username === username;
    if (self && role !== 'admin') throw new HttpError(409, 'role: you cannot change your own role; ask another admin', 'role');
    if (self && disabled) throw new HttpError(409, 'disabled: you cannot disable your own account', 'disabled');
    const staysAdmin = role === 'admin' && !disabled;
    const keepOneAdmin = () => {
      if (current.role === 'admin' && !current.disabled && !staysAdmin)
        this.#keepOneAdmin(username, role !== 'admin' ? 'role' : 'disabled');
    };
    keepOneAdmin();
    const fields: UserFields = {
      displayName: patch.displayName ?? current.displayName,
      role,
      site,
      passwordHash: patch.password !== undefined ? await hashPassword(patch.password) : current.passwordHash,
      disabled,
    };
    // Checked again after the hash (it takes a while), with no wait before the write: the user may
    // have gone meanwhile, or another admin been disabled by a change that ran alongside.
    this.#found(username);
    keepOneAdmin();
    this.#users.update(username, fields);
    const signOut = disabled || patch.password !== undefined || role !== current.role || site !== current.site;
    if (signOut) this.#sessions.endForUser(username, self ? actor.sessionId : undefined);
    return userRecord(this.#users.get(username)!);
  }

  delete(actor: Actor, username: string): void {
    const current = this.#found(username);
    if (actor.user.username === username) throw new HttpError(409, 'you cannot delete your own account; ask another admin');
    if (current.role === 'admin' && !current.disabled) this.#keepOneAdmin(username);
    this.#sessions.endForUser(username);
    this.#users.delete(username);
  }

  #found(username: string) {
    const user = this.#users.get(username);
    if (!user) throw new HttpError(404, `no user "${username}"`);
    return user;
  }

  #checkSite(role: UserRecord['role'], site: string | null): void {
    if (role === 'technician' && !site) throw new HttpError(400, 'site: a technician must be bound to a site', 'site');
    if (role !== 'technician' && site) throw new HttpError(400, 'site: only a technician is bound to a site', 'site');
    if (site && !this.#sites.has(site)) throw new HttpError(400, `site: unknown site "${site}" (not in the site registry)`, 'site');
  }

  /** Refuses a change that would leave no enabled admin. */
  #keepOneAdmin(username: string, field?: string): void {
    if (this.#users.enabledAdmins().some((u) => u !== username)) return;
    throw new HttpError(409, `${field ? `${field}: ` : ''}"${username}" is the last enabled admin; make another admin first`, field);
  }
}
