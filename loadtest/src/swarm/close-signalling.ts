// Leaving a meeting the way a page does: closing its signalling connection
// (the SFU then closes the peer's transports, producers and consumers).
import type { SignallingClient } from '@noc/shared/signalling-client';

/** Closes the connection and waits, at most `timeoutMs`, until it is closed. */
export function closeSignalling(client: SignallingClient, timeoutMs = 2000): Promise<void> {
  if (!client.open) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    client.onClose(() => {
      clearTimeout(timer);
      resolve();
    });
    client.close();
  });
}
