import type { IConstruct } from 'constructs';
import type { OnlineLayout, OnlineStoreSpec } from '@featurestack/runtime/manifest';
import type { Duration } from '../core/duration';

/** Where materialized features are served from. */
export interface IOnlineStore extends IConstruct {
  toOnlineStoreSpec(): OnlineStoreSpec;
}

/** Properties every online store takes. */
export interface OnlineStoreProps {
  /**
   * How values are laid out: `compact` (one record per entity and view, fastest) or
   * `feast` (Feast's Redis layout byte for byte, to run side by side with Feast).
   * @default 'compact'
   */
  readonly layout?: OnlineLayout;
  /** Expire online keys this long after their last write. @default no expiry */
  readonly keyTtl?: Duration;
}

export function onlineStoreCommon(props: OnlineStoreProps): { layout: OnlineLayout; keyTtlSeconds: number | null } {
  return { layout: props.layout ?? 'compact', keyTtlSeconds: props.keyTtl?.toSeconds() ?? null };
}
