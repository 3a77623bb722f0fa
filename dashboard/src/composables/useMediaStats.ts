// Reads the stats of a room's producers and consumers every interval while the
// component lives, into the media-stats store.
import { onMounted, onUnmounted } from 'vue';
import { storeToRefs } from 'pinia';
import { IngestClient } from '@noc/shared/ingest-client';
import { useMediaStatsStore, type StatsReports } from '../stores/media-stats.ts';

export const STATS_INTERVAL_MS = 2000;

/**
 * `token`: when given (a site's room), each read's `media` figures are also sent
 * to the ingest gateway, which stamps the site from the token.
 */
export function useMediaStats(read: () => Promise<StatsReports>, token?: string, intervalMs = STATS_INTERVAL_MS) {
  const store = useMediaStatsStore();
  const ingest = token
    ? new IngestClient({
        url: '/api/ingest',
        token,
        maxSpool: 2000,
        onError: (msg) => console.warn(`media figures not sent yet: ${msg}`),
      })
    : null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let busy = false;

  async function tick(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      store.update(await read());
      const media = store.samples.filter((s) => s.measurement === 'media');
      if (ingest && media.length > 0) {
        ingest.send(media).catch((err: unknown) => console.warn('the gateway refused media figures', err));
      }
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
