// The live feed narrowed to one site: opens `/api/live`, subscribes to the
// site, hands each batch of its samples on, and reconnects with backoff while
// the component lives (live/live-socket.ts). After a reconnection `onReconnect` runs, so the caller
// can fill the gap from the store. A closed feed asks whether the session is still
// there: if not, the app's 401 handler sends the user to sign in, which ends the feed.
import { onMounted, onUnmounted, ref, type Ref } from 'vue';
import type { Incident } from '@noc/shared/incidents';
import type { LiveEvent, LiveSample } from '@noc/shared/live';
import { api } from '../api.ts';
import { LiveSocket } from '../live/live-socket.ts';

export interface SiteFeedHandlers {
  onSamples(samples: LiveSample[]): void;
  onReconnect?(): void;
  /** The site's incidents not resolved yet (after each greeting), then each change. */
  onIncidents?(active: Incident[]): void;
  onIncident?(incident: Incident): void;
}

export function useSiteFeed(site: Ref<string>, handlers: SiteFeedHandlers) {
  const connected = ref(false);
  /** The server's refusal of the subscription (403 for another site), if any. */
  const refused = ref<string | null>(null);
  let opened = 0;

  const subscribe = () => socket.send({ type: 'subscribe', sites: [site.value] });

  const socket = new LiveSocket({
    onOpen: () => {
      subscribe();
      connected.value = true;
      if (opened++ > 0) handlers.onReconnect?.();
    },
    onEvent: (event: LiveEvent) => {
      if (event.type === 'hello') {
        socket.resetBackoff();
      } else if (event.type === 'samples') {
        // Until the subscription takes effect other sites may still arrive: keep this site's only.
        const mine = event.samples.filter((s) => s.site === site.value);
        if (mine.length) handlers.onSamples(mine);
      } else if (event.type === 'incidents') {
        handlers.onIncidents?.(event.incidents.filter((i) => i.site === site.value));
      } else if (event.type === 'incident') {
        if (event.incident.site === site.value) handlers.onIncident?.(event.incident);
      } else if (event.type === 'refused') {
        refused.value = event.message;
      }
    },
    onClose: () => {
      connected.value = false;
      // A browser does not see why an upgrade was refused; a 401 here is handled app-wide.
      api('auth.me').catch(() => {});
    },
  });

  /** Another site on the same page (the route changed): subscribe to it instead. */
  function resubscribe(): void {
    refused.value = null;
    subscribe();
  }

  onMounted(() => socket.start());
  onUnmounted(() => socket.stop());

  return { connected, refused, resubscribe };
}
