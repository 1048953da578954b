import { Construct } from 'constructs';
import type { RedisStoreSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { problem, validateAtSynth } from '../core/validation';
import { IOnlineStore, onlineStoreCommon, OnlineStoreProps } from './online-store';

export interface RedisOnlineStoreProps extends OnlineStoreProps {
  readonly host: string;
  /** @default 6379, or 6380 with tls */
  readonly port?: number;
  /** @default false */
  readonly tls?: boolean;
  /** A Redis Cluster (ioredis Cluster) rather than a single primary. @default false */
  readonly cluster?: boolean;
  /**
   * Environment variable the runtime reads the password from. The password itself
   * never enters the definitions or the manifest.
   * @default no password
   */
  readonly passwordEnv?: string;
}

const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** An existing Redis server used as the online store. */
export class RedisOnlineStore extends Construct implements IOnlineStore {
  constructor(scope: Construct, id: string, private readonly props: RedisOnlineStoreProps) {
    super(scope, id);
    validateAtSynth(this, () => checkPasswordEnv(this, props.passwordEnv));
  }

  toOnlineStoreSpec(): RedisStoreSpec {
    const tls = this.props.tls ?? false;
    return withHash<RedisStoreSpec>({
      kind: 'redis',
      host: this.props.host,
      port: this.props.port ?? (tls ? 6380 : 6379),
      tls,
      cluster: this.props.cluster ?? false,
      passwordEnv: this.props.passwordEnv ?? null,
      ...onlineStoreCommon(this.props),
    });
  }
}

export function checkPasswordEnv(scope: Construct, passwordEnv: string | undefined): string[] {
  return passwordEnv === undefined || ENV_VAR_NAME.test(passwordEnv)
    ? []
    : [problem(scope, `passwordEnv "${passwordEnv}" is not an environment variable name`, 'name the variable, e.g. "FEATURESTACK_REDIS_PASSWORD", never the password itself')];
}
