import { Construct } from 'constructs';
import { validateAtSynth } from '../core/validation';
import { ResourceGroupResource } from './l1';
import { checkAzureName } from './naming';

/** A resource group the other Azure constructs are created in. */
export interface IResourceGroup {
  readonly resourceGroupName: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
}

export interface ResourceGroupProps {
  /** @default the construct id */
  readonly name?: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** A new resource group. */
export class ResourceGroup extends Construct implements IResourceGroup {
  /** Refers to a resource group that already exists. */
  static fromExisting(name: string, location: string): IResourceGroup {
    return { resourceGroupName: name, location };
  }

  readonly resourceGroupName: string;
  readonly location: string;

  constructor(scope: Construct, id: string, props: ResourceGroupProps) {
    super(scope, id);
    const name = props.name ?? id;
    validateAtSynth(this, () => checkAzureName(this, 'resource group', name));
    const resource = new ResourceGroupResource(this, 'Resource', { name, location: props.location, tags: props.tags });
    this.resourceGroupName = resource.name;
    this.location = props.location;
  }
}
