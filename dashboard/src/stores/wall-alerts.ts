// The wall's open-alerts list, derived every second from the sites' state and
// the SFU nodes' health (shared/src/site-alerts.ts). The list component only
// reads `alerts`; when the incident engine exists it feeds the same array.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { AlertBook, healthConditions, isSfuMainDown, siteConditions, type SiteAlert } from '@noc/shared/site-alerts';
import { siteView } from '../components/wall/site-view.ts';
import { useNetworkStore } from './network.ts';

export const useWallAlertsStore = defineStore('wall-alerts', () => {
  const network = useNetworkStore();
  const alerts = shallowRef<SiteAlert[]>([]);
  const book = new AlertBook();

  function refresh(now: number): void {
    // Until the history is read, a site without a heartbeat is loading, not silent.
    if (!network.loaded) return;
    const sfuMainDown = isSfuMainDown(network.health);
    const main = network.sites.find((s) => s.role === 'main')?.id ?? 'main';
    const backup = network.sites.find((s) => s.role === 'backup')?.id ?? 'backup';
    const conditions = [
      ...healthConditions(network.health, main, backup),
      ...network.sites.flatMap((s) => siteConditions(siteView(s.id, network.live[s.id], now, true).snapshot, now, { sfuMainDown })),
    ];
    alerts.value = book.update(now, conditions);
  }

  return { alerts, refresh };
});
