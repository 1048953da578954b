/**
 * Feast's own SDK (the pinned feast 0.67 venv) with its `remote` online store pointed
 * at featurestack's feature server: retrieve_online_documents_v2 sends its request to
 * /retrieve-online-documents and reads our answer, on a real Redis Stack.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { FeatureStore } from '../../runtime/feature-store';
import { writeToOnlineStore } from '../../runtime/online';
import { buildFeatureServer } from '../../runtime/server/app';
import { listen } from '../server/http-client';
import { venvPython } from '../support/python-env';
import { startRedisStack, type RedisStack } from '../support/redis-stack';
import { iso, openVectorStore, tempDir, threeChunks } from './vector-fixtures';

let stack: RedisStack;
let store: FeatureStore;
let app: FastifyInstance;
let server: string;
const dir = tempDir('fs-feast-docs-');

beforeAll(async () => {
  stack = await startRedisStack();
  store = await openVectorStore({ redis: stack });
  const now = Date.now() * 1000;
  await writeToOnlineStore(store.context, {
    featureView: 'doc_chunks',
    rows: threeChunks(now),
  });
  app = await buildFeatureServer(store, { logLevel: 'silent' });
  server = await listen(app);
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await stack?.close();
  dir.cleanup();
});

function feastRetrieve(request: object): Promise<Record<string, unknown[]>> {
  const python = venvPython('feast');
  if (!python) throw new Error('the Feast venv is not provisioned: jest globalSetup (test/support/provision.ts) makes it with ensureVenv("feast")');
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(__dirname, 'feast_documents.py')], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1', FEAST_USAGE: 'False' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`feast_documents.py exited ${code}:\n${err.slice(-4000)}`));
      try {
        resolve(JSON.parse(out));
      } catch (e) {
        reject(new Error(`feast_documents.py answered no JSON (${(e as Error).message}):\n${out.slice(0, 2000)}\n${err.slice(-2000)}`));
      }
    });
    child.stdin.end(JSON.stringify({ project: 'rag', repo: join(dir.path, `repo-${Math.random().toString(36).slice(2)}`), server, ...request }));
  });
}

test("Feast's retrieve_online_documents_v2 through its remote store reads our documents, distances and entity keys", async () => {
  const answer = await feastRetrieve({ features: ['doc_chunks:title', 'doc_chunks:lang'], query: [1, 0.1, 0, 0], top_k: 2, filters: null });
  expect(answer.title).toEqual(['Introduction', 'Setting up']);
  expect(answer.lang).toEqual(['en', 'en']);
  expect(answer.chunk_id).toEqual(['intro', 'setup']);
  expect(answer.distance[0] as number).toBeCloseTo(1 - 1 / Math.sqrt(1.01), 5);
}, 120_000);

test("and its filters reach our index", async () => {
  const answer = await feastRetrieve({ features: ['doc_chunks:title'], query: [1, 0.1, 0, 0], top_k: 3, filters: { type: 'eq', key: 'lang', value: 'fr' } });
  expect(answer.title).toEqual(['Questions']);
  expect(answer.chunk_id).toEqual(['faq']);
}, 120_000);
