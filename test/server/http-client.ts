import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface Response {
  status: number;
  headers: Headers;
  text: string;
  json(): any;
}

/**
 * The server under test on a real loopback socket. (fastify's inject() cannot
 * load under jest here: light-my-request needs cookie@2, which is ESM-only.)
 */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export async function call(base: string, method: string, path: string, body?: string | object, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** A client bound to one server. */
export function client(base: string, headers: Record<string, string> = {}) {
  return {
    get: (path: string, extra: Record<string, string> = {}) => call(base, 'GET', path, undefined, { ...headers, ...extra }),
    post: (path: string, body: string | object, extra: Record<string, string> = {}) => call(base, 'POST', path, body, { ...headers, ...extra }),
  };
}
