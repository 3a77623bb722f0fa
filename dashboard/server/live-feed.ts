// The live feed: every dashboard holds one WebSocket on /api/live and gets the
// events in shared/src/live.ts as they happen.
import type { WebSocket } from 'ws';
import type { LiveEvent } from '@noc/shared/live';

/** A client this far behind is dropped rather than allowed to grow the server's memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export class LiveFeed {
  #clients = new Set<WebSocket>();
  #log: (msg: string) => void;

  constructor(log: (msg: string) => void) {
    this.#log = log;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  add(socket: WebSocket, hello: LiveEvent): void {
    this.#clients.add(socket);
    socket.on('close', () => this.#clients.delete(socket));
    socket.on('error', () => this.#clients.delete(socket));
    // The feed is one-way; anything a client sends is ignored.
    socket.on('message', () => {});
    socket.send(JSON.stringify(hello));
  }

  publish(event: LiveEvent): void {
    if (this.#clients.size === 0) return;
    const data = JSON.stringify(event);
    for (const socket of this.#clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.#log('live feed: dropping a client that stopped reading');
        socket.terminate();
        this.#clients.delete(socket);
        continue;
      }
      socket.send(data);
    }
  }

  close(): void {
    for (const socket of this.#clients) socket.close(1001, 'server stopping');
    this.#clients.clear();
  }
}
