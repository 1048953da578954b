import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan, planRevisions, resourcesOf, ResourceChange } from '../../runtime/plan';
import { baseTerraform, manifestWith, terraformWith, view, writeCdktfOut } from './fixtures';

type Doc = ReturnType<typeof baseTerraform>;
type Res = Record<string, unknown>;

function infra(change: (doc: Doc) => void, before: (doc: Doc) => void = () => undefined): ResourceChange[] {
  const side = (doc: object, label: string) => ({ label, manifest: null, resources: resourcesOf(doc, label) });
  const plan = buildPlan('prod', side(terraformWith(before), 'base'), side(terraformWith((d) => (before(d), change(d))), 'head'));
  return [...(plan.infrastructure ?? [])];
}

const actions = (changes: ResourceChange[]) => changes.map((c) => `${c.action} ${c.address}`);
const account = (doc: Doc) => doc.resource.azurerm_storage_account.lake as Res;
const redis = (doc: Doc) => doc.resource.azurerm_redis_cache.online as Res;

describe('infrastructure diff', () => {
  it('ignores cdktf metadata (construct paths, unique ids)', () => {
    expect(infra((d) => {
      account(d)['//'] = { metadata: { path: 'prod/renamed/lake', uniqueId: 'lake_ABC123' } };
      d['//'] = { metadata: { version: '0.22.0' } };
    })).toEqual([]);
  });

  it('changes replication in place within a zone class, and replaces the account across it', () => {
    expect(actions(infra((d) => (account(d).account_replication_type = 'GRS')))).toEqual(['update azurerm_storage_account.lake']);
    expect(actions(infra((d) => (account(d).account_replication_type = 'ZRS')))).toEqual([
      'replace azurerm_storage_account.lake',
      'replace azurerm_storage_data_lake_gen2_filesystem.features',
    ]);
  });

  it('upgrades Storage to StorageV2 in place; any other kind change replaces the account', () => {
    const legacy = (d: Doc) => (account(d).account_kind = 'Storage');
    expect(actions(infra((d) => (account(d).account_kind = 'StorageV2'), legacy))).toEqual(['update azurerm_storage_account.lake']);
    const [replaced] = infra((d) => (account(d).account_kind = 'BlockBlobStorage'));
    expect(replaced).toMatchObject({
      action: 'replace',
      replacedBecause: 'account_kind cannot change in place',
      destroysData: 'deletes every filesystem and file in the account',
      changes: [{ path: 'account_kind', before: 'StorageV2', after: 'BlockBlobStorage', forcesReplacement: true }],
    });
  });

  it('scales Redis up in place and recreates it on a downgrade', () => {
    expect(actions(infra((d) => (redis(d).sku_name = 'Premium')))).toEqual(['update azurerm_redis_cache.online']);
    expect(infra((d) => (redis(d).sku_name = 'Standard'), (d) => (redis(d).sku_name = 'Premium'))).toMatchObject([
      { action: 'replace', destroysData: 'drops every online value: materialize again after' },
    ]);
  });

  it('replaces what refers to a replaced resource in an argument that cannot change in place', () => {
    const changes = infra((d) => (d.resource.azurerm_resource_group.rg.name = 'featurestack-prod-2'));
    expect(changes.map((c) => [c.address, c.replacedBecause])).toEqual([
      ['azurerm_redis_cache.online', 'location refers to azurerm_resource_group.rg, which is replaced'],
      ['azurerm_resource_group.rg', 'name cannot change in place'],
      ['azurerm_storage_account.lake', 'location refers to azurerm_resource_group.rg, which is replaced'],
      ['azurerm_storage_data_lake_gen2_filesystem.features', 'storage_account_id refers to azurerm_storage_account.lake, which is replaced'],
    ]);
  });

  it('does not take a data source of the same name for the replaced resource', () => {
    const existingAccount = (d: Doc) => {
      d.resource.azurerm_storage_data_lake_gen2_filesystem.features.storage_account_id = '${data.azurerm_storage_account.lake.id}';
    };
    expect(actions(infra((d) => (account(d).is_hns_enabled = false), existingAccount))).toEqual(['replace azurerm_storage_account.lake']);
    expect(actions(infra((d) => (account(d).is_hns_enabled = false)))).toEqual([
      'replace azurerm_storage_account.lake',
      'replace azurerm_storage_data_lake_gen2_filesystem.features',
    ]);
  });

  it('flags deleting a filesystem as destroying data, and deleting a job as not', () => {
    const changes = infra((d) => {
      delete d.resource.azurerm_storage_data_lake_gen2_filesystem;
      delete d.resource.databricks_job;
    });
    expect(changes.map((c) => [c.address, c.action, c.destroysData ?? null])).toEqual([
      ['azurerm_storage_data_lake_gen2_filesystem.features', 'delete', 'deletes every file in the filesystem'],
      ['databricks_job.materialize', 'delete', null],
    ]);
  });

  it('replaces terraform_data when triggers_replace changes, not when input does', () => {
    const withData = (input: string, trigger: string) => (d: Doc) => {
      d.resource.terraform_data = { registry: { input, triggers_replace: [trigger] } };
    };
    expect(actions(infra(withData('b', 'x'), withData('a', 'x')))).toEqual(['update terraform_data.registry']);
    expect(actions(infra(withData('a', 'y'), withData('a', 'x')))).toEqual(['replace terraform_data.registry']);
  });

  it('never shows secret values, and summarizes long contents', () => {
    const notebook = (content: string) => (d: Doc) => {
      d.resource.databricks_workspace_file = { job: { path: '/Shared/materialize.py', content_base64: content } };
    };
    const changes = infra((d) => {
      (d.resource.azurerm_key_vault_secret.redis_password as Res).value = 'hunter2';
      notebook('B'.repeat(400))(d);
      redis(d).redis_configuration = { maxmemory_policy: 'volatile-lru', rdb_storage_connection_string: 'DefaultEndpointsProtocol=https;AccountKey=abc' };
    }, notebook('A'.repeat(400)));
    const text = JSON.stringify(changes);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('AccountKey=abc');
    expect(changes.find((c) => c.address === 'azurerm_key_vault_secret.redis_password')?.changes).toEqual([
      { path: 'value', before: '(sensitive)', after: '(sensitive)', forcesReplacement: false },
    ]);
    expect(changes.find((c) => c.type === 'azurerm_redis_cache')?.changes[0]).toMatchObject({ path: 'redis_configuration.rdb_storage_connection_string', after: '(sensitive)' });
    expect(text).toMatch(/\(400 characters, sha256 [0-9a-f]{12}\)/);
  });

  it('re-uploads the registry blob when the registry file it hashes changes', async () => {
    const uploaded = terraformWith((d) => {
      d.resource.azurerm_storage_blob = {
        registry: { name: 'prod/registry.json', type: 'Block', source: '${path.module}/featurestack/registry.json', content_md5: '${filemd5("${path.module}/featurestack/registry.json")}' },
      };
    });
    const dir = mkdtempSync(join(tmpdir(), 'plan-filemd5-'));
    try {
      writeCdktfOut(join(dir, 'base'), { prod: { manifest: manifestWith(), terraform: uploaded } });
      writeCdktfOut(join(dir, 'same'), { prod: { manifest: manifestWith(), terraform: uploaded } });
      writeCdktfOut(join(dir, 'head'), { prod: { manifest: manifestWith((m) => (view(m, 'weather').ttlSeconds = 7200)), terraform: uploaded } });
      const plan = (head: string) => planRevisions({ base: 'base', head, cwd: dir, log: () => undefined });
      expect((await plan('same')).infrastructure).toEqual([]);
      const [blob] = (await plan('head')).infrastructure ?? [];
      expect(blob).toMatchObject({ address: 'azurerm_storage_blob.registry', action: 'replace', replacedBecause: 'content_md5 cannot change in place' });
      expect(blob.changes).toEqual([
        { path: 'content_md5', before: expect.stringMatching(/^filemd5\(featurestack\/registry.json\) = [0-9a-f]{32}$/), after: expect.stringMatching(/^filemd5\(featurestack\/registry.json\) = [0-9a-f]{32}$/), forcesReplacement: true },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
