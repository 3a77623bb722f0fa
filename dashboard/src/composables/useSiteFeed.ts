// The live feed narrowed to one site: opens `/api/live`, subscribes to the
// site, hands each batch of its samples on, and reconnects with backoff while
// the component lives. After a reconnection `onReconnect` runs, so the caller
// can fill the gap from the store.
import { onMounted, onUnmounted, ref, type Ref } from 'vue';
import type { LiveClientMessage, LiveEvent, LiveSample } from '@noc/shared/live';

export interface SiteFeedHandlers {
  onSamples(samples: LiveSample[]): void;
  onReconnect?(): void;
}

export function useSiteFeed(site: Ref<string>, handlers: SiteFeedHandlers) {
  const connected = ref(false);
  /** The server's refusal of the subscription (403 for another site), if any. */
  const refused = ref<string | null>(null);
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = 500;
  let opened = 0;
  let closed = false;

  function subscribe(ws: WebSocket): void {
    const msg: LiveClientMessage = { type: 'subscribe', sites: [site.value] };
    ws.send(JSON.stringify(msg));
  }

  function connect(): void {
    const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${window.location.host}/api/live`);
    socket = ws;
    ws.onopen = () => {
      subscribe(ws);
      connected.value = true;
      retryMs = 500;
      if (opened++ > 0) handlers.onReconnect?.();
    };
    ws.onmessage = (msg: MessageEvent<string>) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(msg.data) as LiveEvent;
      } catch {
        return;
      }
      if (event.type === 'samples') {
        // Until the subscription takes effect other sites may still arrive: keep this site's only.
        const mine = event.samples.filter((s) => s.site === site.value);
        if (mine.length) handlers.onSamples(mine);
      } else if (event.type === 'refused') {
        refused.value = event.message;
      }
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      connected.value = false;
      if (closed) return;
      retryTimer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  }

  /** Another site on the same page (the route changed): subscribe to it instead. */
  function resubscribe(): void {
    refused.value = null;
    if (socket?.readyState === WebSocket.OPEN) subscribe(socket);
  }

  onMounted(connect);
  onUnmounted(() => {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    socket?.close();
    socket = null;
  });

  return { connected, refused, resubscribe };
}
