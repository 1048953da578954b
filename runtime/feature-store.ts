import type { Table } from 'apache-arrow';
import { StoreContext } from './context';
import { loadManifest } from './manifest/load';
import type { Manifest } from './manifest/schema';
import { parseManifest } from './manifest/validate';
import { getHistoricalFeatures, type HistoricalRequest } from './offline';
import {
  getOnlineFeatures,
  materialize,
  materializeIncremental,
  type GetOnlineFeaturesRequest,
  type MaterializeIncrementalRequest,
  type MaterializeRequest,
  type MaterializeResult,
  type OnlineFeaturesResponse,
} from './online';

export interface OpenOptions {
  /** A registry: local path, `hdfs://` path, `abfss://` URL, or an already parsed manifest. */
  readonly manifest: string | Manifest;
  /** Environment for endpoint overrides and named secrets. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** The runtime's entry point, named as Feast's `FeatureStore`. */
export class FeatureStore {
  static async open(options: OpenOptions): Promise<FeatureStore> {
    const env = options.env ?? process.env;
    const manifest =
      typeof options.manifest === 'string' ? await loadManifest(options.manifest, env) : parseManifest(options.manifest, 'manifest');
    return new FeatureStore(new StoreContext(manifest, env));
  }

  private constructor(readonly context: StoreContext) {}

  get manifest(): Manifest {
    return this.context.manifest;
  }

  /** Point-in-time correct training rows, one per entity row, in input order. */
  getHistoricalFeatures(request: HistoricalRequest): Promise<Table> {
    return getHistoricalFeatures(this.context, request);
  }

  getOnlineFeatures(request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
    return getOnlineFeatures(this.context, request);
  }

  materialize(request: MaterializeRequest): Promise<MaterializeResult> {
    return materialize(this.context, request);
  }

  materializeIncremental(request: MaterializeIncrementalRequest): Promise<MaterializeResult> {
    return materializeIncremental(this.context, request);
  }

  close(): Promise<void> {
    return this.context.close();
  }
}
