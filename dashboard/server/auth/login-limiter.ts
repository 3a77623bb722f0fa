// Failed sign-ins counted per username and per client address
// (rate-limiter-flexible, in memory): past the limit, sign-ins with that key
// are refused for the lock time, even with the right password. A successful
// sign-in clears the username's count (not the address's).
import { RateLimiterMemory } from 'rate-limiter-flexible';

export interface LimitRule {
  /** Failures allowed within `windowS`; the next attempt is refused. */
  failures: number;
  windowS: number;
  /** How long a key stays locked once it reached `failures`. */
  lockS: number;
}

/** A person who forgot a password gets five tries per quarter hour. */
export const USERNAME_RULE: LimitRule = { failures: 5, windowS: 15 * 60, lockS: 15 * 60 };
/** One address (a school's NAT may hide several people) gets more, still far too few to guess. */
export const ADDRESS_RULE: LimitRule = { failures: 20, windowS: 15 * 60, lockS: 15 * 60 };

export class LoginLimiter {
  #limiters: Map<string, { rule: LimitRule; limiter: RateLimiterMemory }>;

  /** `rules`: one per kind of key, e.g. `{ user: USERNAME_RULE, address: ADDRESS_RULE }`. */
  constructor(rules: Record<string, LimitRule>) {
    this.#limiters = new Map(
      Object.entries(rules).map(([kind, rule]) => [kind, { rule, limiter: new RateLimiterMemory({ points: rule.failures, duration: rule.windowS }) }]),
    );
  }

  /** Milliseconds until these keys may try again; 0 when none of them is locked. */
  async lockedFor(keys: Record<string, string>): Promise<number> {
    let wait = 0;
    for (const [kind, key] of Object.entries(keys)) {
      const entry = this.#limiters.get(kind);
      const res = entry ? await entry.limiter.get(key) : null;
      if (entry && res && res.consumedPoints >= entry.rule.failures) wait = Math.max(wait, res.msBeforeNext);
    }
    return wait;
  }

  /** Counts a failure against each key; a key that reaches its limit is locked for the rule's lock time. */
  async failed(keys: Record<string, string>): Promise<void> {
    for (const [kind, key] of Object.entries(keys)) {
      const entry = this.#limiters.get(kind);
      if (!entry) continue;
      const res = await entry.limiter.penalty(key, 1);
      if (res.consumedPoints >= entry.rule.failures) await entry.limiter.block(key, entry.rule.lockS);
    }
  }

  async reset(kind: string, key: string): Promise<void> {
    await this.#limiters.get(kind)?.limiter.delete(key);
  }
}
