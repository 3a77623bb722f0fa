// Every incident rule, in one list; the engine checks these and no others.
// Which causes explain which (inhibition) is declared here too.
import type { RuleId } from '@noc/shared/incidents';
import { batteryLow } from './battery-low.ts';
import { humidityHigh } from './humidity-high.ts';
import { jitterHigh } from './jitter-high.ts';
import { loadTestFailed } from './load-test-failed.ts';
import { lossHigh } from './loss-high.ts';
import { mosLow } from './mos-low.ts';
import { onBattery } from './on-battery.ts';
import { dialOutsidePolicy, micWithoutFloor, uninvitedJoin } from './policy-breach.ts';
import { rttHigh } from './rtt-high.ts';
import type { IncidentRule } from './rule.ts';
import { sfuBackupDown, sfuMainDown } from './sfu-node-down.ts';
import { siteOffline } from './site-offline.ts';
import { spoolGrowing } from './spool-growing.ts';
import { tempHigh } from './temp-high.ts';
import { upsLost } from './ups-lost.ts';
import { videoFrozen } from './video-frozen.ts';
import { notReady } from './not-ready.ts';

export const RULES: { [K in RuleId]: IncidentRule<K> } = {
  siteOffline,
  lossHigh,
  rttHigh,
  jitterHigh,
  mosLow,
  videoFrozen,
  onBattery,
  batteryLow,
  upsLost,
  tempHigh,
  humidityHigh,
  spoolGrowing,
  sfuMainDown,
  sfuBackupDown,
  micWithoutFloor,
  dialOutsidePolicy,
  uninvitedJoin,
  loadTestFailed,
  notReady,
};

/** What the link and media alarms are effects of. */
const LINK_AND_MEDIA: readonly RuleId[] = ['lossHigh', 'rttHigh', 'jitterHigh', 'mosLow', 'videoFrozen'];

/**
 * The causes that explain a rule's alarm, nearest first: `main` names the
 * incident at the main point (the main SFU node down explains every site's
 * offline and link alarms), `same-site` one at the alarm's own site (a site
 * offline explains its own link and media alarms; a loss, jitter or RTT alarm
 * explains a low MOS).
 */
export function causesOf(rule: RuleId): { rule: RuleId; where: 'main' | 'same-site' }[] {
  if (rule === 'siteOffline') return [{ rule: 'sfuMainDown', where: 'main' }];
  if (!LINK_AND_MEDIA.includes(rule)) return [];
  const causes: { rule: RuleId; where: 'main' | 'same-site' }[] = [
    { rule: 'sfuMainDown', where: 'main' },
    { rule: 'siteOffline', where: 'same-site' },
  ];
  // The MOS is computed from loss, jitter and RTT: with one of those alarmed it says nothing new.
  if (rule === 'mosLow')
    causes.push(
      { rule: 'lossHigh', where: 'same-site' },
      { rule: 'jitterHigh', where: 'same-site' },
      { rule: 'rttHigh', where: 'same-site' },
    );
  return causes;
}
