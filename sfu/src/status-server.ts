// The SFU node's HTTP endpoint: `GET /health` answers the node's status.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SfuNode } from './sfu-node.ts';

export async function startStatusServer(node: SfuNode, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      const status = node.status();
      const alive = status.workers.some((w) => !w.died);
      res.writeHead(alive ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `no such endpoint: ${req.method} ${path}` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host}:${address.port}` };
}
