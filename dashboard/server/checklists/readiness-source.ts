// Where the readiness board reads the readiness runs' results (Điều 8.2: the
// test call, power and room data, the checklist, the capacity test): the
// readiness object answers this interface. A server without it has run none,
// and every site shows as not checked unless its own checklist says more.
import type { SiteReadiness } from '@noc/shared/readiness';

export interface ReadinessSource {
  forOccurrence(key: string): SiteReadiness[];
}

export const noReadinessRuns: ReadinessSource = { forOccurrence: () => [] };
