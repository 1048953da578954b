import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { errorBody } from './http-errors';
import { sharedPlugin } from './shared-plugin';

/** Routes a load balancer or orchestrator must reach without a token. */
const OPEN_ROUTES = new Set(['/health']);

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Optional bearer-token authentication: with tokens configured, every route but
 * /health needs `Authorization: Bearer <token>`. Tokens are compared in constant
 * time through their digests and never logged.
 */
export const authPlugin: FastifyPluginAsync<{ tokens: readonly string[] }> = sharedPlugin(async (app, { tokens }) => {
  if (tokens.length === 0) return;
  const accepted = tokens.map(digest);
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    const header = request.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const given = m ? digest(m[1]) : undefined;
    if (given && accepted.some((a) => timingSafeEqual(a, given))) return;
    reply.header('www-authenticate', 'Bearer');
    return reply
      .code(401)
      .send(
        errorBody(
          'UNAUTHORIZED',
          m ? 'the bearer token is not valid' : 'this server needs a bearer token',
          'send Authorization: Bearer <token> with a token from the server\'s FEATURESTACK_SERVER_TOKENS',
        ),
      );
  });
});
