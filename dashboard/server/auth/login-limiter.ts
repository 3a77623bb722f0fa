// Sign-in attempts counted per username and per client address
// (rate-limiter-flexible, in memory): past the limit, sign-ins with that key
// are refused for the lock time, even with the right password. Each attempt
// takes its point before the password is checked, so guesses sent all at once
// count at once; a successful sign-in gives its point back and clears the
// username's count (not the address's).
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
      Object.entries(rules).map(([kind, rule]) => [
        kind,
        { rule, limiter: new RateLimiterMemory({ points: rule.failures, duration: rule.windowS }) },
      ]),
    );
  }

  #entries(keys: Record<string, string>): { key: string; rule: LimitRule; limiter: RateLimiterMemory }[] {
    return Object.entries(keys).flatMap(([kind, key]) => {
      const entry = this.#limiters.get(kind);
      return entry ? [{ key, ...entry }] : [];
    });
  }

  /** Milliseconds until these keys may try again; 0 when none of them is locked or used up. */
  async lockedFor(keys: Record<string, string>): Promise<number> {
    let wait = 0;
    for (const { key, rule, limiter } of this.#entries(keys)) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= rule.failures) wait = Math.max(wait, res.msBeforeNext);
    }
    return wait;
  }

  /**
   * Takes one attempt against each key, before the password is checked. Answers 0 with the points
   * taken, or the wait in milliseconds with nothing taken when a key is locked or its points are in
   * use by attempts still being checked.
   */
  async attempt(keys: Record<string, string>): Promise<number> {
    const wait = await this.lockedFor(keys);
    if (wait > 0) return wait;
    const taken: { key: string; limiter: RateLimiterMemory }[] = [];
    for (const e of this.#entries(keys)) {
      const res = await e.limiter.penalty(e.key, 1);
      taken.push(e);
      if (res.consumedPoints > e.rule.failures) {
        for (const t of taken) await t.limiter.reward(t.key, 1);
        return Math.max(1000, res.msBeforeNext);
      }
    }
    return 0;
  }

  /** The attempt failed: its points stay, and a key that reached its limit is locked for the rule's lock time. */
  async failed(keys: Record<string, string>): Promise<void> {
    for (const { key, rule, limiter } of this.#entries(keys)) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= rule.failures) await limiter.block(key, rule.lockS);
    }
  }

  /** The attempt succeeded: its points are given back, and the counts of the kinds in `clear` are wiped. */
  async succeeded(keys: Record<string, string>, clear: readonly string[] = []): Promise<void> {
    for (const [kind, key] of Object.entries(keys)) {
      const entry = this.#limiters.get(kind);
      if (!entry) continue;
      if (clear.includes(kind)) await entry.limiter.delete(key);
      else await entry.limiter.reward(key, 1);
    }
  }
}
