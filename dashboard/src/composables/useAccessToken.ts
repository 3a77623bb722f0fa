// The access token of a desk page (room, control centre). Either taken from
// `?token=…` once (a link handed to a room PC: no sign-in needed), or, for a
// signed-in user without such a link, asked from `/api/auth/signalling-token`
// before the page opens. Kept in sessionStorage (this tab only) and removed
// from the address bar, so it is neither bookmarked nor shown on a shared
// screen. Its claims are read for the display only; the SFU checks the token.
import { onUnmounted } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { AccessClaims, AccessRole } from '@noc/shared/access-claims';
import { api } from '../api.ts';

export type { AccessRole };
export type TokenClaims = AccessClaims;

const STORAGE_PREFIX = 'noc.access-token:';
/** Marks a scope whose token came from the session (dropped on sign-out), not from a link. */
const FROM_SESSION_PREFIX = 'noc.access-token-from-session:';
/** A token this close to its expiry is fetched again before a page opens. */
const RENEW_BEFORE_MS = 5 * 60_000;

export function decodeClaims(token: string): TokenClaims | null {
  const payload = token.slice(0, Math.max(0, token.lastIndexOf('.')));
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Partial<TokenClaims>;
    return typeof claims.role === 'string' && typeof claims.exp === 'number' ? (claims as TokenClaims) : null;
  } catch {
    return null;
  }
}

/** The token kept for `scope` in this tab, if any. */
export function storedAccessToken(scope: string): string | null {
  return sessionStorage.getItem(STORAGE_PREFIX + scope);
}

/** Whether the kept token of `scope` came from a `?token=` link (usable without a session). */
export function hasLinkToken(scope: string): boolean {
  return storedAccessToken(scope) !== null && sessionStorage.getItem(FROM_SESSION_PREFIX + scope) === null;
}

function keep(scope: string, token: string, fromSession: boolean): void {
  sessionStorage.setItem(STORAGE_PREFIX + scope, token);
  if (fromSession) sessionStorage.setItem(FROM_SESSION_PREFIX + scope, '1');
  else sessionStorage.removeItem(FROM_SESSION_PREFIX + scope);
}

/** Drops the tokens fetched for the signed-in user (sign-in, sign-out); tokens from links stay. */
export function forgetAccessTokens(): void {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const key = sessionStorage.key(i);
    if (!key?.startsWith(FROM_SESSION_PREFIX)) continue;
    const scope = key.slice(FROM_SESSION_PREFIX.length);
    sessionStorage.removeItem(STORAGE_PREFIX + scope);
    sessionStorage.removeItem(key);
  }
}

/**
 * For a signed-in user opening a desk page without a link: makes sure the tab
 * holds a signalling token for `scope` that is not about to expire. Throws the
 * server's refusal.
 */
export async function ensureSessionAccessToken(scope: string): Promise<void> {
  if (hasLinkToken(scope)) return;
  const kept = storedAccessToken(scope);
  const claims = kept ? decodeClaims(kept) : null;
  if (claims && claims.exp - Date.now() > RENEW_BEFORE_MS) return;
  const answer = await api('auth.signallingToken');
  keep(scope, answer.token, true);
}

/** The access token of the desk page open in this tab, for API reads that accept one (`Authorization: Bearer`). */
let pageToken: string | null = null;
export const pageAccessToken = (): string | null => pageToken;

/** `scope` keeps the tokens of different pages apart (a room and a control view in one tab). */
export function useAccessToken(scope: string): { token: string | null; claims: TokenClaims | null } {
  const route = useRoute();
  const router = useRouter();
  const fromUrl = typeof route.query.token === 'string' ? route.query.token : null;
  if (fromUrl) {
    keep(scope, fromUrl, false);
    const { token: _token, ...rest } = route.query;
    void router.replace({ query: rest, hash: route.hash });
  }
  const token = fromUrl ?? storedAccessToken(scope);
  pageToken = token;
  onUnmounted(() => {
    if (pageToken === token) pageToken = null;
  });
  return { token, claims: token ? decodeClaims(token) : null };
}
