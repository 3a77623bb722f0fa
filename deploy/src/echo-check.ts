// Whether a link echo responder (an SFU node's, SFU_ECHO_PORT) answers this PC over UDP: a few of
// the link probe's own datagrams, and how many came back within a second and a half. The
// installer only warns on silence: the agent still runs, and reports the link unreachable (or
// falls back to the target's HTTP URL) until UDP gets through.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { decodeEchoPacket, encodeEchoPacket } from '../../probes/src/echo/packet.ts';

const TRIES = 5;
const WAIT_MS = 1500;

export interface EchoCheck {
  answered: number;
  sent: number;
  /** Why nothing could be sent (no route, a name that does not resolve), when so. */
  error: string | null;
}

export function checkEcho(host: string, port: number): Promise<EchoCheck> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    const session = Math.floor(Math.random() * 2 ** 32);
    const seen = new Set<number>();
    let error: string | null = null;
    let sent = 0;
    socket.on('message', (msg) => {
      const p = decodeEchoPacket(msg);
      if (p && p.session === session) seen.add(p.seq);
    });
    socket.on('error', (err) => {
      error ??= (err as NodeJS.ErrnoException).code ?? err.message;
    });
    for (let seq = 0; seq < TRIES; seq++) {
      socket.send(encodeEchoPacket({ session, seq, sentAt: Date.now() }), port, host, (err) => {
        if (err) error ??= (err as NodeJS.ErrnoException).code ?? err.message;
        else sent++;
      });
    }
    setTimeout(() => {
      socket.close();
      resolve({ answered: seen.size, sent, error });
    }, WAIT_MS);
  });
}
