// Reads the stats of a room's producers and consumers every interval while the
// component lives, into the media-stats store.
import { onMounted, onUnmounted } from 'vue';
import { storeToRefs } from 'pinia';
import { useMediaStatsStore, type StatsReports } from '../stores/media-stats.ts';

export const STATS_INTERVAL_MS = 2000;

export function useMediaStats(read: () => Promise<StatsReports>, intervalMs = STATS_INTERVAL_MS) {
  const store = useMediaStatsStore();
  let timer: ReturnType<typeof setInterval> | null = null;
  let busy = false;

  async function tick(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      store.update(await read());
    } catch (err) {
      // A transport closing between the list and the read; the next read is whole again.
      console.warn('could not read media stats', err);
    } finally {
      busy = false;
    }
  }

  onMounted(() => {
    store.reset();
    timer = setInterval(() => void tick(), intervalMs);
  });
  onUnmounted(() => {
    if (timer) clearInterval(timer);
  });

  const { remote, local, samples } = storeToRefs(store);
  return { remote, local, samples };
}
