// Everything sign-in needs, opened once per server: the state database, users,
// sessions, display tokens, the rules of the admin API and the sign-in limits.
import type { DatabaseSync } from 'node:sqlite';
import type { Site } from '@noc/shared/sites';
import { DisplayTokenStore } from './display-token-store.ts';
import { ADDRESS_RULE, LoginLimiter, USERNAME_RULE } from './login-limiter.ts';
import { prepareDecoy } from './passwords.ts';
import { SessionStore } from './session-store.ts';
import { openStateDb } from './state-db.ts';
import { UserAdmin } from './user-admin.ts';
import { UserStore } from './user-store.ts';

export interface AuthOptions {
  /** `<dataDir>/noc.db`. */
  file: string;
  sites: ReadonlyMap<string, Site>;
  /** Session cookies carry `Secure`. */
  cookieSecure: boolean;
}

export class Auth {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly displayTokens: DisplayTokenStore;
  readonly userAdmin: UserAdmin;
  /** Failed sign-ins of people, per username and per client address. */
  readonly loginLimiter = new LoginLimiter({ user: USERNAME_RULE, address: ADDRESS_RULE });
  /** Failed display sign-ins, per client address. */
  readonly displayLimiter = new LoginLimiter({ address: ADDRESS_RULE });
  readonly cookieSecure: boolean;
  #db: DatabaseSync;
  #sessionsEnded = new Set<(ids: string[]) => void>();

  constructor(opts: AuthOptions) {
    this.#db = openStateDb(opts.file);
    this.cookieSecure = opts.cookieSecure;
    this.users = new UserStore(this.#db);
    this.displayTokens = new DisplayTokenStore(this.#db);
    this.sessions = new SessionStore(this.#db, (ids) => {
      for (const listener of this.#sessionsEnded) listener(ids);
    });
    this.userAdmin = new UserAdmin(this.users, this.sessions, opts.sites);
    prepareDecoy();
  }

  /** The state database (noc.db), for the other stores that live in it. */
  get db(): DatabaseSync {
    return this.#db;
  }

  /** Called with the ids of sessions that ended (the live feed closes their connections). */
  onSessionsEnded(listener: (ids: string[]) => void): void {
    this.#sessionsEnded.add(listener);
  }

  close(): void {
    this.sessions.close();
    this.#db.close();
  }
}
