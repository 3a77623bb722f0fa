// What the kernel says about UDP sockets of this network namespace (an RTP
// sink's, the SFU's ingress sockets in the benchmark): drops
// (receive buffer full) from /proc/net/udp, and the effective receive buffer
// size (SO_RCVBUF as the kernel applied it) from `ss -m`.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Sum of the kernel drop counters of the UDP sockets bound to these local
 * ports; undefined where /proc/net/udp cannot be read.
 */
export function udpDrops(ports: ReadonlySet<number>): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/net/udp', 'utf8');
  } catch {
    return undefined;
  }
  let drops = 0;
  for (const line of text.split('\n').slice(1)) {
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
    const cols = line.trim().split(/\s+/);
    if (cols.length < 13) continue;
    const local = cols[1]!;
    const port = parseInt(local.slice(local.indexOf(':') + 1), 16);
    if (ports.has(port)) drops += Number(cols[12]);
  }
  return drops;
}

/**
 * Effective receive buffer (`rb` of `ss -uanm`) of the UDP socket bound to each
 * given local port; an empty map where `ss` is missing or fails.
 */
export function udpRecvBuffers(ports: ReadonlySet<number>): Promise<Map<number, number>> {
  return new Promise((resolve) => {
    execFile('ss', ['-uanmH'], { timeout: 5000 }, (err, stdout) => {
      const found = new Map<number, number>();
      if (err) return resolve(found);
      let port: number | undefined;
      for (const line of stdout.split('\n')) {
        const local = /^\S+\s+\d+\s+\d+\s+\S+:(\d+)\s/.exec(line);
        if (local) {
          port = Number(local[1]);
          continue;
        }
        const rb = /skmem:\(.*?\brb(\d+)/.exec(line);
        if (rb && port !== undefined && ports.has(port)) found.set(port, Number(rb[1]));
        port = undefined;
      }
      resolve(found);
    });
  });
}
