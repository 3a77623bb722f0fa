// Writes `bytes` zero bytes to a socket as fast as it drains: the payload of
// the bandwidth test, in both directions.
import type { Socket } from 'node:net';

const CHUNK = Buffer.alloc(64 * 1024);

/** Writes the bytes, waiting for 'drain' when the socket's buffer is full; then calls `done`. */
export function pumpBytes(socket: Socket, bytes: number, done: () => void = () => undefined): void {
  let left = bytes;
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, CHUNK.length);
      left -= n;
      if (!socket.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
        socket.once('drain', pump);
        return;
      }
    }
    done();
  };
  pump();
}
