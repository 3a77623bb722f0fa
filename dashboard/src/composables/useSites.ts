// The site registry for desk pages: names in Vietnamese as the registry has
// them, looked up by id (unknown ids, such as a role, show as they are).
import { onMounted } from 'vue';
import { storeToRefs } from 'pinia';
import type { Site } from '@noc/shared/sites';
import { useNetworkStore } from '../stores/network.ts';
import { useNoticesStore } from '../stores/notices.ts';

export function useSites() {
  const network = useNetworkStore();
  const notices = useNoticesStore();

  onMounted(() => {
    if (network.sites.length) return;
    network.loadSites().catch((err: unknown) => {
      notices.push({ level: 'error', key: 'errors.load', params: { reason: (err as Error).message } });
    });
  });

  const { sites } = storeToRefs(network);
  const site = (id: string): Site | undefined => network.sites.find((s) => s.id === id);
  return {
    sites,
    site,
    shortName: (id: string): string => site(id)?.shortName ?? id,
    fullName: (id: string): string => site(id)?.name ?? id,
  };
}
