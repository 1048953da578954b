import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FeatureStore } from '../../runtime/feature-store';
import { joinValueFromJson } from '../../runtime/online/entity-key';
import { valueFromJson } from '../../runtime/online/values';
import { buildFeatureServer } from '../../runtime/server';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { client, listen } from './http-client';
import { serverManifest } from './server-manifest';

// Issue 15: int64 over HTTP, content types, 405s, readable 413s.
let redis: RedisServer;
let lakeRoot: string;
let store: FeatureStore;
let app: FastifyInstance;
let base: string;
let http: ReturnType<typeof client>;

const BODY_LIMIT = 4096;

beforeAll(async () => {
  redis = await startRedisServer();
  lakeRoot = mkdtempSync(join(tmpdir(), 'fs-issue15-http-'));
  store = await FeatureStore.open({ manifest: serverManifest({ lakeRoot, redisPort: redis.port, wideFeatures: 1 }), env: {} });
  app = await buildFeatureServer(store, { maxEntities: 100, bodyLimit: BODY_LIMIT, tokens: [], logLevel: 'error' });
  base = await listen(app);
  http = client(base);
});

afterAll(async () => {
  await app.close();
  await store.close();
  await redis.close();
  rmSync(lakeRoot, { recursive: true, force: true });
});

const MAY_1 = '2024-05-01T12:00:00Z';
const TRIPS = ['driver_hourly_stats:avg_daily_trips'];

/** POSTs text as it is (integer literals a double cannot hold included), with exactly `headers` (a byte body gets no content type of its own). */
async function postText(path: string, text: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(base + path, { method: 'POST', headers, body: Buffer.from(text) });
  const body = await res.text();
  return { status: res.status, headers: res.headers, text: body, json: () => JSON.parse(body) };
}

describe('int64 entity and feature values over HTTP are exact', () => {
  beforeAll(async () => {
    // Feature values past 2^53 too, each one off from its neighbour.
    const res = await postText(
      '/write-to-online-store',
      `{"feature_view_name":"driver_hourly_stats","df":{"driver_id":[9007199254740992,9007199254740993,-9223372036854775808],` +
        `"event_timestamp":["${MAY_1}","${MAY_1}","${MAY_1}"],"conv_rate":[0.1,0.2,0.30000000000000004],"acc_rate":[1,1,1],` +
        `"avg_daily_trips":[9007199254740995,9007199254740996,9223372036854775807]}}`,
    );
    expect(res.json()).toEqual({ feature_view_name: 'driver_hourly_stats', rows: 3, written: 3 });
  });

  it('looks up 2^53 and 2^53 + 1 as two entities, echoing them (and the values) as exact decimal strings', async () => {
    const res = await postText('/get-online-features', `{"features":${JSON.stringify(TRIPS)},"entities":{"driver_id":[9007199254740992, 9007199254740993, 9007199254740994, 1001]}}`);
    expect(res.status).toBe(200);
    expect(res.json().results).toEqual([
      { values: ['9007199254740992', '9007199254740993', '9007199254740994', 1001], statuses: ['PRESENT', 'PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: expect.any(Array) },
      { values: ['9007199254740995', '9007199254740996', null, null], statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND', 'NOT_FOUND'], event_timestamps: expect.any(Array) },
    ]);
  });

  it('takes the int64 extremes and decimal strings, and echoes them exactly', async () => {
    const res = await postText('/get-online-features', `{"features":${JSON.stringify(TRIPS)},"entities":{"driver_id":[-9223372036854775808,9223372036854775807,"9007199254740993"]}}`);
    expect(res.status).toBe(200);
    const [keys, trips] = res.json().results;
    expect(keys.values).toEqual(['-9223372036854775808', '9223372036854775807', '9007199254740993']);
    expect(trips.values).toEqual(['9223372036854775807', null, '9007199254740996']);
  });

  it('answers 400 naming an entity value outside int64 (not clamped, not 500)', async () => {
    for (const value of ['-9223372036854775809', '9223372036854775808', '99999999999999999999']) {
      const res = await postText('/get-online-features', `{"features":${JSON.stringify(TRIPS)},"entities":{"driver_id":[1, ${value}]}}`);
      expect(res.status).toBe(400);
      expect(res.json().error).toEqual({
        code: 'REQUEST_INVALID',
        message: `entity column "driver_id", row 2: ${value} is outside the int64 range (-9223372036854775808 to 9223372036854775807)`,
        hint: 'give an integer from -9223372036854775808 to 9223372036854775807',
      });
    }
  });

  it('answers 400 for an integer written as a fraction or exponent past 2^53 (it is rounded already)', async () => {
    const res = await postText('/get-online-features', `{"features":${JSON.stringify(TRIPS)},"entities":{"driver_id":[9007199254740993.0]}}`);
    expect(res.status).toBe(400);
    expect(res.json().error.message).toBe('entity column "driver_id", row 1: 9007199254740992 is not a safe integer: past 2^53 a number cannot hold every integer, so it may not be the value meant');
    expect(res.json().error.hint).toContain('decimal string');
  });

  it('pushes int64 values past 2^53 exactly, and refuses one outside int64 naming it', async () => {
    const push = await postText(
      '/push',
      `{"push_source_name":"driver_stats_push","to":"online","df":{"driver_id":[12345678901234567],"event_timestamp":["${MAY_1}"],"conv_rate":[0.5],"acc_rate":[0.5],"avg_daily_trips":[-9007199254740993]}}`,
    );
    expect(push.status).toBe(200);
    const read = await http.post('/get-online-features', { features: TRIPS, entities: { driver_id: ['12345678901234567', '12345678901234568'] } });
    expect(read.json().results[1].values).toEqual(['-9007199254740993', null]);

    const refused = await postText(
      '/write-to-online-store',
      `{"feature_view_name":"driver_hourly_stats","df":{"driver_id":[1],"event_timestamp":["${MAY_1}"],"conv_rate":[0.5],"acc_rate":[0.5],"avg_daily_trips":[9223372036854775808]}}`,
    );
    expect(refused.status).toBe(400);
    expect(refused.json().error.message).toBe('df column "avg_daily_trips", row 1: 9223372036854775808 is outside the int64 range (-9223372036854775808 to 9223372036854775807)');

    const roundedKey = await postText(
      '/push',
      `{"push_source_name":"driver_stats_push","to":"online","df":{"driver_id":[9007199254740993e0],"event_timestamp":["${MAY_1}"],"conv_rate":[0.5],"acc_rate":[0.5],"avg_daily_trips":[1]}}`,
    );
    expect(roundedKey.status).toBe(400);
    expect(roundedKey.json().error.message).toBe('df column "driver_id", row 1: 9007199254740992 is not a safe integer: past 2^53 a number cannot hold every integer, so it may not be the value meant');
  });

  it('keeps long floats and long digit strings as they are', async () => {
    const res = await postText('/get-online-features', `{"features":${JSON.stringify(TRIPS)},"entities":{"driver_id":[0.30000000000000004]}}`);
    expect(res.json().error.message).toBe('entity column "driver_id", row 1: 0.30000000000000004 is not an integer');
    const poisoned = await postText('/get-online-features', `{"features":${JSON.stringify(TRIPS)},"entities":{"driver_id":[12345678901234567]},"__proto__":{"x":1}}`);
    expect(poisoned.status).toBe(400);
  });
});

describe('int64 in process', () => {
  it('refuses an entity key as an integer number that is not safe, hinting at BigInt or a decimal string', () => {
    expect(() => joinValueFromJson('Int64', 2 ** 53 + 2, 'x')).toThrow('x: 9007199254740994 is not a safe integer');
    // A feature value is the integer its double holds, within int64.
    expect(valueFromJson('Int64', 2 ** 53 + 2, 'x')).toBe(9007199254740994n);
    expect(() => valueFromJson('Int64', 2 ** 63, 'x')).toThrow('x: 9223372036854776000 is outside the int64 range');
    try {
      joinValueFromJson('Int64', 9007199254740993, 'entity column "driver_id", row 1');
      throw new Error('not refused');
    } catch (e) {
      expect((e as Error).message).toBe('entity column "driver_id", row 1: 9007199254740992 is not a safe integer: past 2^53 a number cannot hold every integer, so it may not be the value meant');
      expect((e as { hint: string }).hint).toMatch(/BigInt.*decimal string/);
    }
  });

  it('refuses a bigint or decimal string outside int64 naming it, takes those inside', () => {
    expect(() => valueFromJson('Int64', 2n ** 63n, 'x')).toThrow('x: 9223372036854775808 is outside the int64 range (-9223372036854775808 to 9223372036854775807)');
    expect(() => valueFromJson('Int64', '-9223372036854775809', 'x')).toThrow('x: "-9223372036854775809" is outside the int64 range');
    expect(valueFromJson('Int64', '9223372036854775807', 'x')).toBe(9223372036854775807n);
    expect(valueFromJson('Int64', 9007199254740993n, 'x')).toBe(9007199254740993n);
    expect(valueFromJson('Int64', 2n ** 52n, 'x')).toBe(2 ** 52);
    expect(valueFromJson('Int32', '2147483647', 'x')).toBe(2147483647);
  });

  it('reads a bigint entity through the store, distinct from its neighbour', async () => {
    const res = await store.getOnlineFeatures({ features: TRIPS, entities: { driver_id: [9007199254740992n, 9007199254740993n] } });
    expect(res.results[1].values).toEqual(['9007199254740995', '9007199254740996']);
    await expect(store.getOnlineFeatures({ features: TRIPS, entities: { driver_id: [9007199254740993] } })).rejects.toThrow('is not a safe integer');
  });
});

describe('content types', () => {
  const request = JSON.stringify({ features: TRIPS, entities: { driver_id: [1001] } });

  it("accepts JSON sent form-encoded (curl -d) or with no content type, on every POST route", async () => {
    const form = await postText('/get-online-features', request, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(200);
    expect(form.json().metadata.feature_names).toEqual(['driver_id', 'avg_daily_trips']);
    const none = await postText('/get-online-features', request, {});
    expect(none.status).toBe(200);
    const materialize = await postText('/materialize', '{"end_ts":"2024-05-01T00:00:00Z"}', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(materialize.json().error.message).toBe("request body must have required property 'start_ts'");
    const push = await postText('/push', `{"push_source_name":"driver_stats_push","to":"online","df":{"driver_id":[4001],"event_timestamp":["${MAY_1}"],"conv_rate":[0.5],"acc_rate":[0.5],"avg_daily_trips":[4]}}`, {});
    expect(push.status).toBe(200);
  });

  it('refuses text/plain and other types with 415 saying to send Content-Type: application/json', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/xml']) {
      for (const path of ['/get-online-features', '/push']) {
        const res = await postText(path, request, { 'content-type': type });
        expect(res.status).toBe(415);
        expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        expect(res.json().error.message).toBe(`request Content-Type "${type}" is not supported: send the body as JSON with Content-Type: application/json`);
      }
    }
  });

  it('answers a form-encoded body that is not JSON with 400 naming the content type to send', async () => {
    const res = await postText('/get-online-features', 'features=a&entities=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(400);
    expect(res.json().error).toEqual({
      code: 'REQUEST_INVALID',
      message: 'request body (sent as application/x-www-form-urlencoded) is not valid JSON',
      hint: "send the body as JSON with Content-Type: application/json (curl: -H 'Content-Type: application/json')",
    });
  });
});

describe('methods', () => {
  it('answers a wrong method with 405 and an Allow header', async () => {
    const get = await http.get('/get-online-features');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(get.json().error).toEqual({ code: 'METHOD_NOT_ALLOWED', message: 'GET is not allowed on /get-online-features; it takes POST', hint: 'send POST /get-online-features' });
    const health = await http.post('/health?x=1', {});
    expect(health.status).toBe(405);
    expect(health.headers.get('allow')).toBe('GET, HEAD');
    const api = await http.post('/catalog/api/features', {});
    expect(api.status).toBe(405);
    expect(api.headers.get('allow')).toBe('GET, HEAD');
    for (const path of ['/push', '/write-to-online-store', '/materialize', '/materialize-incremental']) {
      expect((await http.get(path)).headers.get('allow')).toBe('POST');
    }
  });

  it('still answers an unknown path with 404', async () => {
    const res = await http.post('/get-online-feature', {});
    expect(res.status).toBe(404);
    expect(res.json().error.code).toBe('UNKNOWN_ROUTE');
    // Whatever the body's content type.
    expect((await postText('/get-online-feature', 'x', { 'content-type': 'text/plain' })).status).toBe(404);
    expect((await postText('/health', 'x', { 'content-type': 'text/plain' })).status).toBe(405);
  });
});

interface RawAnswer {
  text: string;
  error?: NodeJS.ErrnoException;
}

/**
 * Sends `head`, then every one of `chunks` with a pause between (as a client that
 * sends its whole body before reading does, whatever arrives meanwhile), then reads
 * the whole answer. An EPIPE or ECONNRESET on the way is returned as `error`.
 */
function rawPost(head: string, chunks: Buffer[], pauseMs = 1): Promise<RawAnswer> {
  const port = Number(new URL(base).port);
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let text = '';
    let sent = false;
    let settled = false;
    const answered = () => {
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(text);
      return end >= 0 && length !== null && text.length >= end + 4 + Number(length[1]);
    };
    const finish = (error?: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({ text, error });
    };
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (sent && answered()) finish();
    });
    socket.on('error', finish);
    // Closed (or half-closed) while the client still sends: what makes Python's clients fail with a broken pipe.
    const early = () => finish(sent ? undefined : Object.assign(new Error('the server closed the connection before the body was sent'), { code: 'ECLOSEDEARLY' }));
    socket.on('end', early);
    socket.on('close', early);
    socket.on('connect', async () => {
      socket.write(head);
      for (const chunk of chunks) {
        if (settled) return;
        await new Promise<void>((r) => socket.write(chunk, () => setTimeout(r, pauseMs)));
      }
      sent = true;
      if (answered()) finish();
    });
  });
}

function parseAnswer(answer: RawAnswer) {
  const end = answer.text.indexOf('\r\n\r\n');
  return { status: Number(answer.text.slice(9, 12)), headers: answer.text.slice(0, end), body: answer.text.slice(end + 4) };
}

describe('413 is readable by clients that send the whole body first', () => {
  const TOO_LARGE = { code: 'REQUEST_TOO_LARGE', message: `request body is larger than ${BODY_LIMIT} bytes`, hint: 'send fewer rows per request, or start the server with a larger --body-limit' };
  // 8 MiB in 64 KiB pieces: more than the socket buffers hold, still sending well after the server could answer.
  const chunks = Array.from({ length: 128 }, () => Buffer.alloc(65536, 0x20));

  it('with Content-Length: reads the whole 413 with no EPIPE or ECONNRESET', async () => {
    const size = chunks.length * 65536;
    const answer = await rawPost(`POST /get-online-features HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`, chunks);
    expect(answer.error).toBeUndefined();
    const { status, body } = parseAnswer(answer);
    expect(status).toBe(413);
    expect(JSON.parse(body).error).toEqual(TOO_LARGE);
  });

  it('chunked: reads the whole 413 with no EPIPE or ECONNRESET', async () => {
    const framed = [...chunks.map((c) => Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')])), Buffer.from('0\r\n\r\n')];
    const answer = await rawPost('POST /push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n', framed);
    expect(answer.error).toBeUndefined();
    const { status, body } = parseAnswer(answer);
    expect(status).toBe(413);
    expect(JSON.parse(body).error).toEqual(TOO_LARGE);
  });

  it('keeps serving bodies within the limit, chunked or not', async () => {
    const text = JSON.stringify({ features: TRIPS, entities: { driver_id: [1001] } });
    const framed = [Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n0\r\n\r\n`)];
    const answer = await rawPost('POST /get-online-features HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n', framed);
    expect(parseAnswer(answer).status).toBe(200);
    expect((await http.post('/get-online-features', text)).status).toBe(200);
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  const pythonRequests = python && spawnSync('python3', ['-c', 'import requests']).status === 0;

  /** Runs a Python script with the server's base URL as argv[1]: its exit code, stdout and stderr. */
  async function runPython(script: string): Promise<{ code: unknown; out: string; err: string }> {
    const child = spawn('python3', ['-c', script, base]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.once('exit', r));
    return { code, out, err };
  }

  function expect413(run: { code: unknown; out: string; err: string }) {
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const [status, ...json] = run.out.trim().split(' ');
    expect(status).toBe('413');
    expect(JSON.parse(json.join(' ')).error).toEqual(TOO_LARGE);
  }

  // 16 MiB: more than loopback socket buffers take in before the server would have closed.
  (python ? it : it.skip)('python urllib.request reads the 413 JSON', async () => {
    expect413(
      await runPython(
        [
          'import sys, urllib.request, urllib.error',
          'req = urllib.request.Request(sys.argv[1] + "/get-online-features", data=b"{" + b" " * (16 * 1024 * 1024) + b"}", headers={"Content-Type": "application/json"})',
          'try:',
          '    urllib.request.urlopen(req)',
          'except urllib.error.HTTPError as e:',
          '    print(e.code, e.read().decode())',
        ].join('\n'),
      ),
    );
  });

  (pythonRequests ? it : it.skip)('python requests reads the 413 JSON', async () => {
    expect413(
      await runPython(
        [
          'import sys, requests',
          'r = requests.post(sys.argv[1] + "/push", data=b"{" + b" " * (16 * 1024 * 1024) + b"}", headers={"Content-Type": "application/json"})',
          'print(r.status_code, r.text)',
        ].join('\n'),
      ),
    );
  });
});

describe('int64 join keys written in process', () => {
  it('writeToOnlineStore refuses a join key given as an unsafe integer number, hinting at BigInt', async () => {
    await expect(
      store.writeToOnlineStore({ featureView: 'driver_hourly_stats', rows: { driver_id: [2 ** 53 + 2], event_timestamp: ['2024-05-01T00:00:00Z'], conv_rate: [0.1] } }),
    ).rejects.toMatchObject({ code: 'REQUEST_INVALID', message: expect.stringContaining('9007199254740994 is not a safe integer') });
  });
});
