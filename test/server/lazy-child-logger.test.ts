import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { lazyChildLoggerFactory } from '../../runtime/server/lazy-child-logger';
import { call, listen } from './http-client';

const lines: Record<string, unknown>[] = [];
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  app = Fastify({ logger: { level: 'info', stream }, disableRequestLogging: true, childLoggerFactory: lazyChildLoggerFactory });
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/loud', async (request) => {
    request.log.warn({ code: 'ONLINE_STORE_UNREACHABLE' }, 'store down');
    request.log.debug('below the level');
    return { level: request.log.level };
  });
  base = await listen(app);
});
beforeEach(() => lines.splice(0));
afterAll(() => app.close());

describe('lazy request logger', () => {
  it('writes a request log line with the request id binding, at the server level', async () => {
    const res = await call(base, 'GET', '/loud');
    expect(res.json()).toEqual({ level: 'info' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'store down', code: 'ONLINE_STORE_UNREACHABLE', reqId: expect.stringMatching(/^req-/) });
  });

  it('writes nothing for a request that does not log', async () => {
    expect((await call(base, 'GET', '/quiet')).json()).toEqual({ ok: true });
    expect(lines).toEqual([]);
  });
});
