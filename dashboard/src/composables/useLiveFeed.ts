// Holds the live feed open while the component lives (live/live-socket.ts:
// reconnection with backoff) and hands its events to the stores; after a
// reconnection the gap is back-filled from the history API. A session that is
// gone (401) stops the retries and hands over to `onUnauthorised`.
import { onMounted, onUnmounted, ref } from 'vue';
import type { LiveEvent, LiveSample } from '@noc/shared/live';
import { api, ApiError } from '../api.ts';
import { LiveSocket } from '../live/live-socket.ts';
import { useIncidentsStore } from '../stores/incidents.ts';
import { useMeetingsStore } from '../stores/meetings.ts';
import { useNetworkStore } from '../stores/network.ts';

/**
 * Sample events are taken into the store in groups: a group waits this long for
 * the rest of a burst (sites and SFU nodes report at about the same moment) ...
 */
export const GROUP_MS = 40;
/** ... and groups are at least this far apart, so a dozen sites at 1 Hz cost a few DOM updates a second. */
export const MIN_FLUSH_INTERVAL_MS = 200;

export type FeedStatus = 'connecting' | 'live' | 'retrying' | 'signed-out';

export interface LiveFeedOptions {
  /** After the store took a batch of samples. */
  onSamples?: (samples: LiveSample[]) => void;
  /** The session is gone: the page should send the user to sign in. */
  onUnauthorised?: () => void;
}

const isUnauthorised = (err: unknown): boolean => err instanceof ApiError && err.status === 401;

export function useLiveFeed(options: LiveFeedOptions = {}) {
  const network = useNetworkStore();
  const meetings = useMeetingsStore();
  const incidents = useIncidentsStore();
  const status = ref<FeedStatus>('connecting');
  const connected = ref(false);
  /** When the next attempt is due, while retrying. */
  const retryAt = ref<number | null>(null);
  let hellos = 0;
  let stopped = false;

  function signedOut(): void {
    if (stopped) return;
    stop();
    status.value = 'signed-out';
    options.onUnauthorised?.();
  }

  /** Errors of the reads that follow a connection: a 401 ends the page's session, the rest is logged. */
  function reportError(what: string) {
    return (err: unknown) => {
      if (isUnauthorised(err)) signedOut();
      else console.error(`[live] ${what}:`, err);
    };
  }

  function onHello(): void {
    socket.resetBackoff();
    // Subscribed from here on: read what the store took while this page was not
    // (after the first read on a first connection, since the last one after a blip
    // or a server restart, even one that came before any hello).
    network.catchUp().catch(reportError('catching up with the store'));
    if (hellos++ === 0) return;
    // ... and re-read what may have changed meanwhile.
    network.loadHealth().catch(reportError('reading health'));
    meetings.load().catch(reportError('reading meetings'));
  }

  /** Sample batches that arrived since the last flush. */
  let pending: LiveSample[][] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let lastFlush = 0;

  function flush(): void {
    flushTimer = null;
    lastFlush = Date.now();
    const batches = pending;
    pending = [];
    for (const samples of batches) network.applySamples(samples);
    for (const samples of batches) options.onSamples?.(samples);
  }

  function handle(event: LiveEvent): void {
    switch (event.type) {
      case 'hello':
        network.setSites(event.sites);
        onHello();
        break;
      case 'samples':
        pending.push(event.samples);
        flushTimer ??= setTimeout(flush, Math.max(GROUP_MS, lastFlush + MIN_FLUSH_INTERVAL_MS - Date.now()));
        break;
      case 'health':
        network.setHealth(event.health);
        break;
      case 'meetings':
        meetings.set(event.meetings);
        break;
      case 'incidents':
        incidents.setActive(event.incidents);
        break;
      case 'incident':
        incidents.apply(event.incident);
        break;
      case 'refused':
        console.warn(`[live] the server refused a subscription (${event.status}): ${event.message}`);
        break;
    }
  }

  const socket = new LiveSocket({
    onOpen: () => {
      retryAt.value = null;
      connected.value = true;
      status.value = 'live';
    },
    onEvent: handle,
    onClose: (nextAt) => {
      connected.value = false;
      status.value = 'retrying';
      retryAt.value = nextAt;
      // A browser does not see the status of a refused upgrade: ask whether the session is still there.
      api('auth.me').catch((err: unknown) => {
        if (isUnauthorised(err)) signedOut();
      });
    },
  });

  function stop(): void {
    stopped = true;
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    retryAt.value = null;
    connected.value = false;
    socket.stop();
  }

  onMounted(() => {
    status.value = 'connecting';
    socket.start();
  });
  onUnmounted(stop);

  return { connected, status, retryAt, signedOut };
}
