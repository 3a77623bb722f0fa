// The tokens of one run, issued with the server secret: the control centre's
// (creates and closes the load-test meeting, raises speaking requests, chats),
// and per site its seats', its endpoint's and its probe's. Access tokens end
// shortly after the run does.
import { issueAccessToken, type AccessClaims } from '@noc/shared/access-token';
import { issueProbeToken } from '@noc/shared/probe-token';
import type { LoadTestPlan } from '../plan.ts';

/** Tokens outlive the run's end by this much, for the cleanup. */
const GRACE_MS = 10 * 60_000;

function claims(role: AccessClaims['role'], runId: number, exp: number, site?: string, meeting?: string): AccessClaims {
  // The loadTest claim lets the holder use plain RTP transports, in a load-test meeting only.
  return {
    role,
    exp,
    loadTest: true,
    name: `load test ${runId}${site ? ` ${site}` : ''}`,
    ...(site ? { site } : {}),
    ...(meeting ? { meeting } : {}),
  };
}

export function operatorToken(secret: Buffer, runId: number, endsAt: number): string {
  return issueAccessToken(secret, claims('operator', runId, endsAt + GRACE_MS));
}

/** The per-site tokens of the plan, bound to the run's meeting. */
export function siteTokens(
  secret: Buffer,
  runId: number,
  sites: string[],
  meetingId: string | null,
  endsAt: number,
): Omit<LoadTestPlan['tokens'], 'operator' | 'wall'> {
  const exp = endsAt + GRACE_MS;
  const meeting = meetingId ?? undefined;
  const seat: Record<string, string> = {};
  const site: Record<string, string> = {};
  const probe: Record<string, string> = {};
  for (const id of sites) {
    seat[id] = issueAccessToken(secret, claims('seat', runId, exp, id, meeting));
    site[id] = issueAccessToken(secret, claims('site', runId, exp, id, meeting));
    probe[id] = issueProbeToken(secret, id);
  }
  return { seat, site, probe };
}
