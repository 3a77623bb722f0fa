// One connection to the live feed (`/api/live`) that reopens itself: events
// parsed and handed on, a lost connection retried with exponential backoff
// (capped, with jitter, so a room of screens does not reconnect in step).
// What a page does with the events is its composable's business.
import type { LiveClientMessage, LiveEvent } from '@noc/shared/live';

import { Backoff } from '@noc/shared/backoff';

/** Retries double from 0.5 s up to 8 s, each drawn from the upper half of its step. */
const RETRY = { firstMs: 500, maxMs: 8000, jitter: true } as const;

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
  #backoff = new Backoff(RETRY);
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
    this.#backoff.reset();
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
      const delay = this.#backoff.next();
      this.#retryTimer = setTimeout(() => this.#connect(), delay);
      this.#handlers.onClose?.(Date.now() + delay);
    };
  }
}
