/**
 * The embedded store's HNSW graph follows writes made after it was built: an update
 * moves an entity, a null embedding removes it, a filter and the TTL still apply;
 * another process's writes (seen as a newer version in LMDB) make it rebuild.
 */
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { OnlineCodecs } from '../../runtime/online/codecs';
import { EmbeddedVectorStore } from '../../runtime/online/vector/embedded-vectors';
import { checkFilter } from '../../runtime/online/vector/vector-filter';
import type { VectorDoc } from '../../runtime/online/vector/vector-docs';
import { vectorPlans } from '../../runtime/online/vector/vector-plan';
import { tempDir, vectorManifest } from './vector-fixtures';

let dir: { path: string; cleanup(): void };
let root: RootDatabase;
beforeEach(() => {
  dir = tempDir('fs-hnsw-');
  root = open({ path: join(dir.path, 'online'), maxDbs: 16 });
});
afterEach(async () => {
  await root.close();
  dir.cleanup();
});

const plan = () => vectorPlans(new OnlineCodecs(vectorManifest({ embeddedPath: join(dir.path, 'online') }))).all()[0];
// Attributes in the plan's filterable order: chunk_id, title, lang, year, score.
const doc = (id: string, vector: number[] | null, event = 1, lang = 'en'): VectorDoc => ({
  entityKey: Buffer.from(id),
  event,
  created: -1,
  vector: vector && Float32Array.from(vector),
  attributes: [id, id, lang, 2020, 1],
});
const ids = (hits: { entityKey: Buffer }[]) => hits.map((h) => h.entityKey.toString());

test('the graph, once built, takes updates, removals, filters and the TTL', async () => {
  const p = plan();
  // A graph from the first document on, so these few go through usearch.
  const store = new EmbeddedVectorStore(root, 0, 1);
  await store.writeDocs(p, [doc('a', [1, 0, 0, 0]), doc('b', [0, 1, 0, 0]), doc('c', [0, 0, 1, 0], 1, 'fr'), doc('d', [0, 0, 0, 1])]);
  const search = (extra: object = {}) => store.search({ plan: p, query: Float32Array.from([1, 0.2, 0.1, 0]), topK: 2, minEvent: -Infinity, ...extra });
  const usearch = jest.spyOn(require('usearch').Index.prototype, 'search');
  expect(ids(await search())).toEqual(['a', 'b']);
  expect(usearch).toHaveBeenCalled();

  await store.writeDocs(p, [doc('d', [1, 0.2, 0.1, 0], 2), doc('a', null, 2)]);
  expect(ids(await search())).toEqual(['d', 'b']);
  expect(ids(await search({ filter: checkFilter(p, { type: 'eq', key: 'lang', value: 'fr' }) }))).toEqual(['c']);
  expect(ids(await search({ minEvent: 2 }))).toEqual(['d']);
  usearch.mockRestore();
});

test("another process's write makes the graph rebuild from LMDB", async () => {
  const p = plan();
  const first = new EmbeddedVectorStore(root, 0, 1);
  const other = new EmbeddedVectorStore(root, 0, 1);
  await first.writeDocs(p, [doc('a', [1, 0, 0, 0]), doc('b', [0, 1, 0, 0])]);
  const query = { plan: p, query: Float32Array.from([0.1, 0, 1, 0]), topK: 1, minEvent: -Infinity };
  expect(ids(await first.search(query))).toEqual(['a']);
  await other.writeDocs(p, [doc('c', [0, 0, 1, 0], 3)]);
  expect(ids(await first.search(query))).toEqual(['c']);
});
