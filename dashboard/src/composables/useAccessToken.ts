// The access token of a desk page: taken from `?token=…` once, kept in
// sessionStorage (this tab only) and removed from the address bar, so it is
// neither bookmarked nor shown on a shared screen. Its claims are read for the
// display only; the SFU is what checks the token.
import { useRoute, useRouter } from 'vue-router';

import type { AccessClaims, AccessRole } from '@noc/shared/access-claims';

export type { AccessRole };
export type TokenClaims = AccessClaims;

const STORAGE_PREFIX = 'noc.access-token:';

function decodeClaims(token: string): TokenClaims | null {
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

/** `scope` keeps the tokens of different pages apart (a room and a control view in one tab). */
export function useAccessToken(scope: string): { token: string | null; claims: TokenClaims | null } {
  const route = useRoute();
  const router = useRouter();
  const key = STORAGE_PREFIX + scope;
  const fromUrl = typeof route.query.token === 'string' ? route.query.token : null;
  if (fromUrl) {
    sessionStorage.setItem(key, fromUrl);
    const { token: _token, ...rest } = route.query;
    void router.replace({ query: rest, hash: route.hash });
  }
  const token = fromUrl ?? sessionStorage.getItem(key);
  return { token, claims: token ? decodeClaims(token) : null };
}
