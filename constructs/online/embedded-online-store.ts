import { Construct } from 'constructs';
import type { EmbeddedStoreSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { IOnlineStore, onlineStoreCommon, OnlineStoreProps } from './online-store';

export interface EmbeddedOnlineStoreProps extends OnlineStoreProps {
  /** LMDB folder; relative paths resolve against the runtime's working directory. */
  readonly path: string;
}

/** An online store inside the runtime's process, on local disk (LMDB). */
export class EmbeddedOnlineStore extends Construct implements IOnlineStore {
  constructor(scope: Construct, id: string, private readonly props: EmbeddedOnlineStoreProps) {
    super(scope, id);
  }

  toOnlineStoreSpec(): EmbeddedStoreSpec {
    return withHash<EmbeddedStoreSpec>({ kind: 'embedded', path: this.props.path, ...onlineStoreCommon(this.props) });
  }
}
