// Beside HTTPS, a plain-HTTP port that serves nothing but a redirect to the same
// path over HTTPS (NOC_HTTP_REDIRECT_PORT): 301 for GET and HEAD, 308 (the method
// kept) for anything else. The HTTPS answers then carry HSTS, so a browser asks
// over HTTP only once.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpRedirect {
  /** `http://host:port` of the redirecting server. */
  url: string;
  close(): Promise<void>;
}

/** `https://<the host the client asked for>[:httpsPort]<path>`, or null when the Host header is no host. */
export function httpsLocation(req: IncomingMessage, httpsPort: number, fallbackHost: string): string | null {
  let hostname: string;
  try {
    // Only the name: the port is the HTTPS one; anything but a plain host is refused.
    const url = new URL(`http://${req.headers.host ?? fallbackHost}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
    hostname = url.hostname;
  } catch {
    return null;
  }
  const path = req.url?.startsWith('/') ? req.url : '/';
  return `https://${hostname}${httpsPort === 443 ? '' : `:${httpsPort}`}${path}`;
}

export async function startHttpRedirect(o: { host: string; port: number; httpsPort: number }): Promise<HttpRedirect> {
  const server: Server = createServer((req, res) => {
    const location = httpsLocation(req, o.httpsPort, o.host.includes(':') ? `[${o.host}]` : o.host);
    if (!location) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad Host header\n');
      return;
    }
    const status = req.method === 'GET' || req.method === 'HEAD' ? 301 : 308;
    res.writeHead(status, { location, 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(`${location}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
