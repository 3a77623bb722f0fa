// One connection to the live feed (`/api/live`) that reopens itself: events
// parsed and handed on, a lost connection retried with exponential backoff
// (capped, with jitter, so a room of screens does not reconnect in step).
// What a page does with the events is its composable's business.
import type { LiveClientMessage, LiveEvent } from '@noc/shared/live';

export const RETRY_BASE_MS = 500;
export const RETRY_CAP_MS = 8000;

/** The delay before retry number `attempt` (0-based): doubling from 0.5 s up to 8 s, drawn from its upper half. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface LiveSocketHandlers {
  /** The connection is open (the first time, and after each reconnection). */
  onOpen?(): void;
  onEvent(event: LiveEvent): void;
  /** The connection is gone; the next attempt comes at `retryAt`. */
  onClose?(retryAt: number): void;
}

export class LiveSocket {
  #handlers: LiveSocketHandlers;
  #socket: WebSocket | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #attempt = 0;
  #stopped = false;

  constructor(handlers: LiveSocketHandlers) {
    this.#handlers = handlers;
  }

  get open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  /** Sends a message now if the connection is open; answers whether it went. */
  send(message: LiveClientMessage): boolean {
    if (!this.open) return false;
    this.#socket!.send(JSON.stringify(message));
    return true;
  }

  /** A good connection resets the backoff (call when the server greeted it). */
  resetBackoff(): void {
    this.#attempt = 0;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const ws = this.#socket;
    this.#socket = null;
    ws?.close();
  }

  #connect(): void {
    this.#retryTimer = null;
    const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${window.location.host}/api/live`);
    this.#socket = ws;
    ws.onopen = () => this.#handlers.onOpen?.();
    ws.onmessage = (msg: MessageEvent<string>) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(msg.data) as LiveEvent;
      } catch {
        console.warn('[live] ignored a message that is not JSON');
        return;
      }
      this.#handlers.onEvent(event);
    };
    ws.onclose = () => {
      if (this.#socket !== ws) return;
      this.#socket = null;
      if (this.#stopped) return;
      const delay = retryDelay(this.#attempt++);
      this.#retryTimer = setTimeout(() => this.#connect(), delay);
      this.#handlers.onClose?.(Date.now() + delay);
    };
  }
}
