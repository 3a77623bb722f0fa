// Runs `read` every `everyMs` while the component lives and the page is
// visible (a hidden tab asks nothing), and once more as soon as it becomes
// visible again. A read still running is not started twice.
import { onMounted, onUnmounted } from 'vue';

export function usePolling(read: () => Promise<void>, everyMs = 5000) {
  let timer: ReturnType<typeof setInterval> | null = null;
  let running = false;

  async function tick(): Promise<void> {
    if (running || document.visibilityState !== 'visible') return;
    running = true;
    try {
      await read();
    } finally {
      running = false;
    }
  }

  const onVisibility = (): void => {
    if (document.visibilityState === 'visible') void tick();
  };

  onMounted(() => {
    timer = setInterval(() => void tick(), everyMs);
    document.addEventListener('visibilitychange', onVisibility);
  });
  onUnmounted(() => {
    if (timer) clearInterval(timer);
    timer = null;
    document.removeEventListener('visibilitychange', onVisibility);
  });
}
