// An SFU node that does not answer its health check: the main node (at the Sở)
// or the backup node (at TTGDTX Thành phố), checked at the site it stands at.
import type { IncidentRule, RuleContext, Verdict } from './rule.ts';
import { CLEAR, FIRING, UNKNOWN } from './rule.ts';

function nodeVerdict(ctx: RuleContext, component: 'sfu' | 'sfuBackup'): Verdict {
  const h = ctx.health?.components[component];
  if (!h || h.detail === 'not checked yet') return UNKNOWN;
  if (h.state === 'disabled') return CLEAR;
  return h.state === 'down' ? FIRING({ detail: h.detail }, { evidence: { checkedAt: h.checkedAt, detail: h.detail } }) : CLEAR;
}

export const sfuMainDown: IncidentRule<'sfuMainDown'> = { id: 'sfuMainDown', at: 'main', check: (ctx) => nodeVerdict(ctx, 'sfu') };
export const sfuBackupDown: IncidentRule<'sfuBackupDown'> = {
  id: 'sfuBackupDown',
  at: 'backup',
  check: (ctx) => nodeVerdict(ctx, 'sfuBackup'),
};
