import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { validateAtSynth } from '../core/validation';
import { DataAzurermClientConfig, KeyVaultResource, RoleAssignment } from './l1';
import { checkAzureName } from './naming';
import type { IResourceGroup } from './resource-group';

/** A Key Vault that secrets (such as the Redis key) are written to. */
export interface IKeyVault {
  readonly keyVaultId: string;
  /** What a secret must wait for before it can be written (e.g. the deployer's role). */
  readonly secretWriteDependencies: ITerraformDependable[];
}

export interface KeyVaultProps {
  /** @default the construct id */
  readonly name?: string;
  readonly resourceGroup: IResourceGroup;
  /** Days a deleted vault or secret can be recovered. @default 7 */
  readonly softDeleteRetentionDays?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * A new Key Vault using Azure RBAC, purge protection on; the identity that
 * deploys gets "Key Vault Secrets Officer" so it can write the secrets.
 */
export class KeyVault extends Construct implements IKeyVault {
  /** Refers to a Key Vault that already exists (the deployer must be able to write secrets). */
  static fromExisting(keyVaultId: string): IKeyVault {
    return { keyVaultId, secretWriteDependencies: [] };
  }

  readonly keyVaultId: string;
  readonly secretWriteDependencies: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    const name = props.name ?? id;
    validateAtSynth(this, () => checkAzureName(this, 'Key Vault', name));
    const client = new DataAzurermClientConfig(this, 'Client', {});
    const vault = new KeyVaultResource(this, 'Resource', {
      name,
      location: props.resourceGroup.location,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      tenantId: client.tenantId,
      skuName: 'standard',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: props.softDeleteRetentionDays ?? 7,
      tags: props.tags,
    });
    const deployer = new RoleAssignment(this, 'DeployerSecretsOfficer', {
      scope: vault.id,
      roleDefinitionName: 'Key Vault Secrets Officer',
      principalId: client.objectId,
    });
    this.keyVaultId = vault.id;
    this.secretWriteDependencies = [deployer];
  }
}
