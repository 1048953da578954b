import { Construct } from 'constructs';
import { AzurermProvider } from './l1';

export interface AzureProviderProps {
  /** @default taken from the Azure CLI login or ARM_SUBSCRIPTION_ID at deploy */
  readonly subscriptionId?: string;
}

/** The azurerm provider, configured once per stack. */
export class AzureProvider extends Construct {
  readonly provider: AzurermProvider;

  constructor(scope: Construct, id: string, props: AzureProviderProps = {}) {
    super(scope, id);
    this.provider = new AzurermProvider(this, 'Resource', { features: [{}], subscriptionId: props.subscriptionId });
  }
}
