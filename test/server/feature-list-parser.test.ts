import Fastify, { type FastifyRequest } from 'fastify';
import { featureListReusingParser, type JsonBodyParser } from '../../runtime/server/feature-list-parser';

const fastifyJson = Fastify().getDefaultJsonParser('error', 'error') as JsonBodyParser;
const request = {} as FastifyRequest;

function parserWithCount(): { parse: (body: string) => unknown; fullParses: () => number } {
  let full = 0;
  let given = '';
  // A parse of the body exactly as given is a full parse; the reuse path parses the body without its list.
  const counting: JsonBodyParser = function (this: unknown, req, body, done) {
    if (body === given) full++;
    fastifyJson.call(this, req, body, done);
  };
  const parser = featureListReusingParser(counting);
  const parse = (body: string): unknown => {
    let result: { error: Error | null; body?: unknown } | undefined;
    given = body;
    parser.call(undefined, request, body, (error, parsed) => (result = { error, body: parsed }));
    if (!result) throw new Error('parser did not answer synchronously');
    if (result.error) throw result.error;
    return result.body;
  };
  return { parse, fullParses: () => full };
}

function fastifyParse(body: string): unknown {
  let out: unknown;
  fastifyJson.call(undefined, request, body, (error, parsed) => {
    if (error) throw error;
    out = parsed;
  });
  return out;
}

const features = ['driver_stats:conv_rate', 'driver_stats:acc_rate', 'trips:avg_fare'];

describe('featureListReusingParser', () => {
  it('gives what parsing the whole body gives, and reuses a list it has seen (the same frozen array)', () => {
    const { parse, fullParses } = parserWithCount();
    const first = parse(JSON.stringify({ features, entities: { driver_id: [1001] } })) as { features: string[] };
    const second = parse(JSON.stringify({ features, entities: { driver_id: [1002, 1003] } })) as { features: string[]; entities: unknown };
    expect(second).toEqual({ features, entities: { driver_id: [1002, 1003] } });
    expect(first.features).toEqual(features);
    const third = parse(JSON.stringify({ entities: { driver_id: [7] }, features, full_feature_names: true })) as { features: string[] };
    expect(third.features).toBe(second.features);
    expect(Object.isFrozen(second.features)).toBe(true);
    expect(fullParses()).toBe(1);
  });

  it("reads Python's spacing (json.dumps) and remembers each spelling of a list", () => {
    const { parse, fullParses } = parserWithCount();
    const spaced = (id: number) => `{"features": ${JSON.stringify(features).replace(/","/g, '", "')}, "entities": {"driver_id": [${id}]}}`;
    expect(parse(spaced(1))).toEqual({ features, entities: { driver_id: [1] } });
    expect(parse(spaced(2))).toEqual({ features, entities: { driver_id: [2] } });
    expect(fullParses()).toBe(1);
  });

  // Each body is parsed after clean bodies with the same lists, then again: always as fastify parses it.
  const tricky: [string, string][] = [
    ['a later duplicate key', `{"features":["a:x"],"entities":{"id":[1]},"features":["b:y"]}`],
    ['a later escaped duplicate key', `{"features":["a:x"],"entities":{"id":[1]},"feat\\u0075res":["b:y"]}`],
    ['an earlier duplicate key', `{"features":["b:y"],"features":["a:x"],"entities":{"id":[1]}}`],
    ['"features" inside an entity value first', `{"entities":{"id":["\\"features\\":[\\"a:x\\"]"]},"features":["a:x"]}`],
    ['a nested "features" key first', `{"entities":{"features":["a:x"]},"features":["a:x"]}`],
    ['a nested "features" key only', `{"entities":{"features":["a:x"]},"feature_service":"svc"}`],
    ['a "]" inside a feature name', `{"features":["a:x]","b:y"],"entities":{"id":[1]}}`],
    ['an escaped quote inside a name', `{"features":["a:\\"x\\"","b:y"],"entities":{"id":[1]}}`],
    ['a non-string item', `{"features":["a:x",1],"entities":{"id":[1]}}`],
    ['an empty list', `{"features":[],"entities":{"id":[1]}}`],
    ['a null list', `{"features":null,"feature_service":"svc","entities":{"id":[1]}}`],
  ];
  it.each(tricky)('parses a body with %s exactly as fastify does', (_what, body) => {
    const { parse } = parserWithCount();
    for (const list of ['["a:x"]', '["b:y"]', '["a:x]","b:y"]', '["a:x",1]', '[]']) parse(`{"features":${list},"entities":{"id":[1]}}`);
    const expected = fastifyParse(body);
    expect(parse(body)).toEqual(expected);
    expect(parse(body)).toEqual(expected);
  });

  it('reuses a list that follows entity values with escapes, brackets and spaces', () => {
    const { parse, fullParses } = parserWithCount();
    const body = (id: string) => `{ "entities" : {"name":[${JSON.stringify(id)}], "pair": [[1, 2]]} , "features" : ["a:x", "b:y"] }`;
    expect(parse(body('a"b'))).toEqual({ entities: { name: ['a"b'], pair: [[1, 2]] }, features: ['a:x', 'b:y'] });
    expect(parse(body('c\\"d]{'))).toEqual({ entities: { name: ['c\\"d]{'], pair: [[1, 2]] }, features: ['a:x', 'b:y'] });
    expect(fullParses()).toBe(1);
  });

  it('lets fastify reject a malformed or poisoned rest of the body after the list was remembered', () => {
    const { parse } = parserWithCount();
    const list = JSON.stringify(features);
    parse(`{"features":${list},"entities":{"driver_id":[1]}}`);
    expect(() => parse(`{"features":${list},"entities":{"driver_id":[1]}`)).toThrow(expect.objectContaining({ code: 'FST_ERR_CTP_INVALID_JSON_BODY' }));
    expect(() => parse(`{"features":${list},"entities":{"driver_id":[1]},"__proto__":{"x":1}}`)).toThrow(expect.objectContaining({ code: 'FST_ERR_CTP_INVALID_JSON_BODY' }));
    expect(() => parse('')).toThrow(expect.objectContaining({ code: 'FST_ERR_CTP_EMPTY_JSON_BODY' }));
    expect(() => parse(`["features",${list}]`)).not.toThrow();
    expect(parse(`["features",${list}]`)).toEqual(['features', features]);
  });

  it('forgets what it remembered past its limit and still parses every body', () => {
    const { parse, fullParses } = parserWithCount();
    const body = (n: number) => `{"features":["v:f${n}"],"entities":{"id":[1]}}`;
    for (let n = 0; n < 65; n++) parse(body(n));
    expect(fullParses()).toBe(65);
    expect(parse(body(64))).toEqual({ features: ['v:f64'], entities: { id: [1] } });
    expect(fullParses()).toBe(65);
    expect(parse(body(0))).toEqual({ features: ['v:f0'], entities: { id: [1] } });
    expect(fullParses()).toBe(66);
  });
});
