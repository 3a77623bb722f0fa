// Breaches of the meeting rules the SFU refused (Điều 9.2): a microphone
// opened without the floor, a call to another point, a join without an
// invitation. Each breach keeps the incident of its kind open; it clears once
// no new one came for its `recoverForSeconds`.
import type { PolicyEventType } from '@noc/shared/meeting';
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING } from './rule.ts';

/** A breach counts as "now" this long after it came. */
const BREACH_NOW_MS = 3000;

function breachRule<K extends 'micWithoutFloor' | 'dialOutsidePolicy' | 'uninvitedJoin'>(id: K, type: PolicyEventType): IncidentRule<K> {
  return {
    id,
    at: 'every-site',
    check({ now, site }) {
      const b = site.breaches.get(type);
      if (!b || now - b.at > BREACH_NOW_MS) return CLEAR;
      return FIRING({ detail: b.detail }, { evidence: { ...b } });
    },
  };
}

export const micWithoutFloor = breachRule('micWithoutFloor', 'mic-without-floor');
export const dialOutsidePolicy = breachRule('dialOutsidePolicy', 'dial-outside-policy');
export const uninvitedJoin = breachRule('uninvitedJoin', 'uninvited-join');
