/**
 * A Knox-style gateway for tests, in front of a real (https) WebHDFS: HTTPS with HTTP
 * basic auth on `/gateway/<topology>/webhdfs/v1/...`; it calls the namenode as the
 * authenticated user (`user.name`) and rewrites the namenode's datanode redirects to its
 * own `/gateway/<topology>/webhdfs/data/v1/...`, as Knox does, so a client only ever
 * talks to the gateway.
 */
import { createServer, request, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface WebHdfsGateway {
  /** e.g. `https://localhost:40123/gateway/default/webhdfs/v1` */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startWebHdfsGateway(options: {
  readonly namenodeUrl: string;
  readonly users: Readonly<Record<string, string>>;
  readonly pfx: Buffer;
  readonly passphrase: string;
  readonly ca: string;
  readonly topology?: string;
}): Promise<WebHdfsGateway> {
  const base = `/gateway/${options.topology ?? 'default'}/webhdfs`;
  let origin = '';
  const forward = (req: IncomingMessage, res: ServerResponse, target: URL) => {
    const upstream: RequestOptions = { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/octet-stream', ...(req.headers['content-length'] ? { 'content-length': req.headers['content-length'] } : {}) }, ca: options.ca };
    const proxied = request(target, upstream, (answer) => {
      const headers = { ...answer.headers };
      if (headers.location) {
        const location = new URL(headers.location);
        location.searchParams.set('_host', location.host);
        headers.location = `${origin}${base}/data${location.pathname.replace(/^\/webhdfs/, '')}${location.search}`;
      }
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    proxied.once('error', (e) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`gateway: ${e.message}`);
    });
    req.pipe(proxied);
  };
  const server = createServer({ pfx: options.pfx, passphrase: options.passphrase }, (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    if (!user || options.users[user] !== password) {
      res.writeHead(401, { 'www-authenticate': 'BASIC realm="application"', 'content-type': 'text/html' });
      res.end('<html><head><title>Error 401 Unauthorized</title></head><body><h2>HTTP ERROR 401</h2><table><tr><th>MESSAGE:</th><td>Unauthorized</td></tr></table></body></html>');
      return;
    }
    if (url.pathname.startsWith(`${base}/data/v1`)) {
      const target = new URL(`https://${url.searchParams.get('_host')}/webhdfs/v1${url.pathname.slice(`${base}/data/v1`.length)}`);
      url.searchParams.forEach((value, key) => key !== '_host' && target.searchParams.set(key, value));
      forward(req, res, target);
    } else if (url.pathname.startsWith(`${base}/v1`)) {
      const target = new URL(`${options.namenodeUrl}${url.pathname.slice(`${base}/v1`.length)}`);
      url.searchParams.forEach((value, key) => target.searchParams.set(key, value));
      target.searchParams.set('user.name', user);
      forward(req, res, target);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${base}/v1`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
