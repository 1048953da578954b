import { Construct } from 'constructs';
import { DatabricksWorkspaceResource } from '../azure/l1';
import { checkAzureName } from '../azure/naming';
import type { IResourceGroup } from '../azure/resource-group';
import { validateAtSynth } from '../core/validation';
import { DatabricksProvider } from './l1';

/** A Databricks workspace jobs are created in. */
export interface IDatabricksWorkspace {
  /** The databricks provider bound to this workspace. */
  readonly provider: DatabricksProvider;
}

export interface DatabricksWorkspaceProps {
  /** @default the construct id */
  readonly name?: string;
  readonly resourceGroup: IResourceGroup;
  /** @default 'premium' */
  readonly sku?: 'standard' | 'premium';
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** A new Azure Databricks workspace, with a databricks provider configured for it. */
export class DatabricksWorkspace extends Construct implements IDatabricksWorkspace {
  /** Refers to a workspace that already exists, by its URL (e.g. `https://adb-123.4.azuredatabricks.net`). */
  static fromExisting(scope: Construct, id: string, host: string): IDatabricksWorkspace {
    return { provider: new DatabricksProvider(scope, id, { host, alias: id }) };
  }

  readonly provider: DatabricksProvider;

  constructor(scope: Construct, id: string, props: DatabricksWorkspaceProps) {
    super(scope, id);
    const name = props.name ?? id;
    validateAtSynth(this, () => checkAzureName(this, 'Databricks workspace', name));
    const workspace = new DatabricksWorkspaceResource(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      sku: props.sku ?? 'premium',
      tags: props.tags,
    });
    this.provider = new DatabricksProvider(this, 'Provider', {
      host: `https://${workspace.workspaceUrl}`,
      azureWorkspaceResourceId: workspace.id,
    });
  }
}
