// Who is signed in on this browser: read once from `GET /api/auth/me`, set by
// signing in (a person with a password, a wall screen with its display token)
// and cleared by signing out. The server checks every request anyway; the
// pages use this to choose what to show.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SessionUser } from '@noc/shared/auth';
import { api, ApiError } from '../api.ts';
import { forgetAccessTokens } from '../composables/useAccessToken.ts';

export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null);
  /** Whether `/api/auth/me` has been asked since the page loaded. */
  const checked = ref(false);
  let pending: Promise<SessionUser | null> | null = null;

  /** The signed-in user, asking the server the first time (or again with `force`). */
  function load(force = false): Promise<SessionUser | null> {
    if (checked.value && !force) return Promise.resolve(user.value);
    pending ??= api('auth.me', { quiet401: true })
      .then(
        (a) => a.user,
        (err: unknown) => {
          // 401: nobody; anything else (server down, older server): nobody either, the sign-in page says why.
          if (!(err instanceof ApiError) || err.status !== 401) console.warn('session check failed', err);
          return null;
        },
      )
      .then((u) => {
        user.value = u;
        checked.value = true;
        pending = null;
        return u;
      });
    return pending;
  }

  function start(next: SessionUser): SessionUser {
    // Access tokens fetched for someone else in this tab must not carry over.
    forgetAccessTokens();
    user.value = next;
    checked.value = true;
    return next;
  }

  /** Throws ApiError: 401 wrong credentials, 429 rate-limited (retryAfterS), 400 naming the field. */
  async function signIn(username: string, password: string): Promise<SessionUser> {
    const a = await api('auth.login', { body: { username, password }, quiet401: true });
    return start(a.user);
  }

  /** A wall screen signing in with the token of its `?display=` link. */
  async function signInDisplay(token: string): Promise<SessionUser> {
    const a = await api('auth.display', { body: { token }, quiet401: true });
    return start(a.user);
  }

  async function signOut(): Promise<void> {
    try {
      await api('auth.logout', { quiet401: true });
    } finally {
      forgetAccessTokens();
      user.value = null;
      checked.value = true;
    }
  }

  /** The session ended on the server (a 401 elsewhere). */
  function expire(): void {
    forgetAccessTokens();
    user.value = null;
    checked.value = true;
  }

  return { user, checked, load, signIn, signInDisplay, signOut, expire };
});
