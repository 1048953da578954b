/** retrieve-online-documents over HTTP (Feast's request and response shape) and on the CLI, on a real Redis Stack. */
import type { FastifyInstance } from 'fastify';
import type { FeatureStore } from '../../runtime/feature-store';
import { writeToOnlineStore } from '../../runtime/online';
import { buildFeatureServer } from '../../runtime/server/app';
import { featurestack, writeManifest } from '../catalog/run-cli';
import { client, listen } from '../server/http-client';
import { startRedisStack, type RedisStack } from '../support/redis-stack';
import { iso, openVectorStore, vectorManifest, threeChunks } from './vector-fixtures';

let stack: RedisStack;
let store: FeatureStore;
let app: FastifyInstance;
let http: ReturnType<typeof client>;
const NOW = Date.now() * 1000;

beforeAll(async () => {
  stack = await startRedisStack();
  store = await openVectorStore({ redis: stack });
  await writeToOnlineStore(store.context, {
    featureView: 'doc_chunks',
    rows: threeChunks(NOW),
  });
  app = await buildFeatureServer(store, { logLevel: 'silent' });
  http = client(await listen(app));
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await stack?.close();
});

const post = (url: string, payload: object) => http.post(url, payload);

describe('POST /retrieve-online-documents', () => {
  test("takes Feast's request and answers as Feast's retrieve_online_documents_v2: features, distance, join keys", async () => {
    const res = await post('/retrieve-online-documents', { features: ['doc_chunks:title', 'doc_chunks:lang'], query: [1, 0.1, 0, 0], top_k: 2, api_version: 2 });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.metadata.feature_names).toEqual(['title', 'lang', 'distance', 'chunk_id']);
    expect(body.results[0]).toMatchObject({ values: ['Introduction', 'Setting up'], statuses: ['PRESENT', 'PRESENT'] });
    expect(body.results[1].values).toEqual(['en', 'en']);
    expect(body.results[2].values[0]).toBeCloseTo(1 - 1 / Math.sqrt(1.01), 5);
    expect(body.results[3]).toEqual({ values: ['intro', 'setup'], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] });
    expect(body).toEqual(await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: [1, 0.1, 0, 0], topK: 2, features: ['doc_chunks:title', 'doc_chunks:lang'] }));
  });

  test("Feast's filters and its newer /search route", async () => {
    const res = await post('/search', { features: ['doc_chunks:embedding'], query: [1, 0.1, 0, 0], top_k: 3, filters: { type: 'eq', key: 'lang', value: 'fr' } });
    expect(res.status).toBe(200);
    expect(res.json().metadata.feature_names).toEqual(['embedding', 'distance', 'chunk_id']);
    expect(res.json().results[0].values).toEqual([[0, 0, 1, 0]]);
    expect(res.json().results[2].values).toEqual(['faq']);
  });

  test('a query of the wrong dimension is a 400 naming both dimensions', async () => {
    const res = await post('/retrieve-online-documents', { features: ['doc_chunks:title'], query: [1, 0], top_k: 2 });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'REQUEST_INVALID',
        message: 'query has dimension 2, but the vector index "doc_chunks_embedding" on "doc_chunks:embedding" has dimension 4',
        hint: "embed the query with the model that made the documents' embeddings (4 numbers)",
      },
    });
  });

  test.each<[string, object, number, string]>([
    ['no query', { features: ['doc_chunks:title'], top_k: 2 }, 400, 'query is missing'],
    ['no top_k', { features: ['doc_chunks:title'], query: [1, 0, 0, 0] }, 400, 'top_k is missing'],
    ['a text query', { features: ['doc_chunks:title'], query: [1, 0, 0, 0], top_k: 1, query_string: 'setup' }, 400, 'query_string (text search) is not supported'],
    ['two views', { features: ['doc_chunks:title', 'other:x'], query: [1, 0, 0, 0], top_k: 1 }, 400, 'features name 2 views (doc_chunks, other); a retrieval searches one'],
    ['a bad filter', { features: ['doc_chunks:title'], query: [1, 0, 0, 0], top_k: 1, filters: { type: 'like', key: 'lang', value: 'e' } }, 400, 'filter: type "like" is not one of eq, ne, gt, gte, lt, lte, in, nin, and, or'],
    ['a string in the query', { features: ['doc_chunks:title'], query: [1, 'x', 0, 0], top_k: 1 }, 400, ''],
  ])('%s is refused with a 4xx naming the problem', async (_name, payload, status, message) => {
    const res = await post('/retrieve-online-documents', payload);
    expect(res.status).toBe(status);
    if (message) expect(res.json().error.message).toBe(message);
  });
});

describe('featurestack retrieve-online-documents', () => {
  test('prints the same JSON as the API, and refuses a query of the wrong dimension naming both', async () => {
    const manifest = writeManifest(vectorManifest({ redis: stack }));
    const run = await featurestack('retrieve-online-documents', '--manifest', manifest, '--feature', 'doc_chunks:embedding', '--query', '[0, 0, 1, 0.1]', '--top-k', '1', '--features', 'doc_chunks:title');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(await store.retrieveOnlineDocuments({ feature: 'doc_chunks:embedding', query: [0, 0, 1, 0.1], topK: 1, features: ['doc_chunks:title'] }));
    expect(JSON.parse(run.stdout).results[2].values).toEqual(['faq']);
    const bad = await featurestack('retrieve-online-documents', '--manifest', manifest, '--feature', 'doc_chunks:embedding', '--query', '[1, 0, 0]', '--top-k', '1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: query has dimension 3, but the vector index "doc_chunks_embedding" on "doc_chunks:embedding" has dimension 4');
  });
});
