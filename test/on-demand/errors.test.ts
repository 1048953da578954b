import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { FeatureStore } from '../../runtime/feature-store';
import { entityRows, HOUR, onDemandRepo, T0, type OnDemandRepo } from './fixtures';

let repo: OnDemandRepo;
let store: FeatureStore;

beforeAll(async () => {
  repo = await onDemandRepo();
  store = await repo.open();
});
afterAll(async () => {
  await store.close();
  repo.remove();
});

const ORDER = ['order_features:amount_per_trip'];
const at = T0 + 2 * HOUR;

/** The registry folder copied elsewhere, with `edit` applied to its files. */
function copiedRegistry(edit: (folder: string) => void): { registry: string; folder: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'fs-on-demand-copy-'));
  cpSync(join(repo.registry, '..'), folder, { recursive: true });
  edit(folder);
  return { registry: join(folder, 'registry.json'), folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

describe('a transform whose code does not match the registry', () => {
  it('is refused online and offline, naming the view, both hashes and the fix', async () => {
    const bundle = 'transforms/order_features.js';
    let changed = '';
    const copy = copiedRegistry((folder) => {
      const path = join(folder, bundle);
      writeFileSync(path, readFileSync(path, 'utf8').replace('row.amount / trips', 'row.amount / trips * 2'));
      changed = createHash('sha256').update(readFileSync(path)).digest('hex');
    });
    const expected = JSON.parse(readFileSync(repo.registry, 'utf8')).onDemandFeatureViews.find((v: { name: string }) => v.name === 'order_features').transform.bundleSha256;
    const tampered = await FeatureStore.open({ manifest: copy.registry, env: {} });
    try {
      const online = tampered.getOnlineFeatures({ features: ORDER, entities: { driver_id: [1], amount: [5], currency: ['EUR'] } });
      await expect(online).rejects.toMatchObject({
        code: 'TRANSFORM_MISMATCH',
        message: `on-demand view "order_features": the transform bundle at ${join(copy.folder, bundle)} has SHA-256 ${changed}, but the registry expects ${expected}; refusing to run code the registry does not record`,
        hint: expect.stringContaining('synthesize again (`npx featurestack synth`)'),
      });
      const offline = tampered.getHistoricalFeatures({ features: ORDER, entities: entityRows(at, { driver_id: [1], amount: [5], currency: ['EUR'] }) });
      await expect(offline).rejects.toMatchObject({ code: 'TRANSFORM_MISMATCH' });
      // Views whose bundles match still run.
      const other = await tampered.getOnlineFeatures({ features: ['amount_cents:amount_cents'], entities: { amount: [1] } });
      expect(other.results[0].values).toEqual([100]);
    } finally {
      await tampered.close();
      copy.remove();
    }
  });

  it('a missing bundle is an error naming where it was looked for', async () => {
    const copy = copiedRegistry((folder) => rmSync(join(folder, 'transforms'), { recursive: true }));
    const broken = await FeatureStore.open({ manifest: copy.registry, env: {} });
    try {
      await expect(broken.getOnlineFeatures({ features: ['amount_cents:amount_cents'], entities: { amount: [1] } })).rejects.toMatchObject({
        code: 'TRANSFORM_INVALID',
        message: `on-demand view "amount_cents": its transform bundle is not at ${join(copy.folder, 'transforms', 'amount_cents.js')}`,
      });
    } finally {
      await broken.close();
      copy.remove();
    }
  });
});

describe('request data', () => {
  it('a missing request field is named with its view, online and offline', async () => {
    await expect(store.getOnlineFeatures({ features: ORDER, entities: { driver_id: [1], amount: [5] } })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'request field "currency" of on-demand view "order_features" is missing',
      hint: expect.stringContaining('"currency": [...]'),
    });
    const rows = entityRows(at, { driver_id: [1], amount: [5], currency: ['EUR'] });
    const withoutCurrency = new Table({ driver_id: rows.getChild('driver_id')!, event_timestamp: rows.getChild('event_timestamp')!, amount: rows.getChild('amount')! });
    await expect(store.getHistoricalFeatures({ features: ORDER, entities: withoutCurrency })).rejects.toMatchObject({
      code: 'ENTITY_ROWS_INVALID',
      message: 'entity rows have no column "currency" (request field of on-demand view "order_features")',
    });
  });

  it('a request value of the wrong type, or a column that is neither key nor request field, is refused', async () => {
    await expect(store.getOnlineFeatures({ features: ORDER, entities: { driver_id: [1], amount: ['lots'], currency: ['EUR'] } })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'request field "amount" of on-demand view "order_features", row 1: "lots" is not a number',
    });
    await expect(store.getOnlineFeatures({ features: ORDER, entities: { driver_id: [1], amount: [1], currency: ['EUR'], tip: [1] } })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'entity column "tip" is neither a join key of the requested features nor a request field of their on-demand views',
    });
    await expect(store.getOnlineFeatures({ features: ORDER, entities: { driver_id: [1, 2], amount: [1], currency: ['EUR', 'EUR'] } })).rejects.toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'request field "amount" has 1 values for 2 entity rows',
    });
  });

  it('on-demand views need entity rows: a range retrieval is refused', async () => {
    await expect(store.getHistoricalFeatures({ features: ORDER, start: T0, end: at })).rejects.toMatchObject({ code: 'REQUEST_INVALID', message: expect.stringContaining('on-demand views (order_features) need entity rows') });
  });

  it('an unknown feature of an on-demand view is named', async () => {
    await expect(store.getOnlineFeatures({ features: ['order_features:nope'], entities: { driver_id: [1], amount: [1], currency: ['EUR'] } })).rejects.toMatchObject({
      code: 'UNKNOWN_FEATURE',
      message: 'on-demand view "order_features" has no feature "nope"',
    });
  });
});

describe('a transform that fails', () => {
  it('throwing is an error naming the view, the module, the row and its message, online and offline', async () => {
    const online = store.getOnlineFeatures({ features: ['refuse_negative:checked_amount'], entities: { amount: [2, -1] } });
    await expect(online).rejects.toMatchObject({
      code: 'TRANSFORM_FAILED',
      message: expect.stringMatching(/^on-demand view "refuse_negative": the transform .*test\/on-demand\/transforms\/order\.ts \(export refuseNegative\) threw on row 2: negative amount -1$/),
    });
    const rows = entityRows(at, { driver_id: [1, 2], amount: [2, -1], currency: ['EUR', 'EUR'] });
    await expect(store.getHistoricalFeatures({ features: ['refuse_negative:checked_amount'], entities: rows })).rejects.toMatchObject({
      code: 'TRANSFORM_FAILED',
      message: expect.stringContaining('threw on row 2: negative amount -1'),
    });
  });

  it('a value of the wrong type is an error naming the feature, its dtype and the value', async () => {
    const expected = {
      code: 'TRANSFORM_FAILED',
      message: 'on-demand view "wrong_type": feature "amount_text" on row 1 returned "1.5 EUR", which is not a number (its dtype is Float64)',
      hint: "return a number or null, or declare another dtype in the view's schema",
    };
    await expect(store.getOnlineFeatures({ features: ['wrong_type:amount_text'], entities: { amount: [1.5] } })).rejects.toMatchObject(expected);
    const rows = entityRows(at, { driver_id: [1], amount: [1.5], currency: ['EUR'] });
    await expect(store.getHistoricalFeatures({ features: ['wrong_type:amount_text'], entities: rows })).rejects.toMatchObject(expected);
  });
});
