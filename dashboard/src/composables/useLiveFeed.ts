// Holds the live-feed WebSocket open while the component lives, reconnecting
// with backoff, and hands its events to the network store.
import { onMounted, onUnmounted, ref } from 'vue';
import type { LiveEvent } from '@noc/shared/live';
import { useNetworkStore } from '../stores/network.ts';

export function useLiveFeed(onConnect?: () => void) {
  const connected = ref(false);
  const store = useNetworkStore();
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = 500;
  let closed = false;

  function connect(): void {
    const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${proto}://${window.location.host}/api/live`);
    socket.onopen = () => {
      connected.value = true;
      retryMs = 500;
    };
    socket.onmessage = (msg: MessageEvent<string>) => {
      const event = JSON.parse(msg.data) as LiveEvent;
      if (event.type === 'hello') {
        store.setSites(event.sites);
        onConnect?.();
      } else if (event.type === 'samples') {
        store.applySamples(event.samples);
      }
    };
    socket.onclose = () => {
      connected.value = false;
      socket = null;
      if (closed) return;
      retryTimer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  }

  onMounted(connect);
  onUnmounted(() => {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    socket?.close();
  });

  return { connected };
}
