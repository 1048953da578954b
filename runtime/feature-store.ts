import type { Table } from 'apache-arrow';
import { StoreContext } from './context';
import { loadManifest } from './manifest/load';
import type { Manifest } from './manifest/schema';
import { parseManifest } from './manifest/validate';
import { getHistoricalFeatures, type HistoricalRequest } from './offline';
import { historicalWithOnDemand, onlineRowsWithOnDemand } from './on-demand';
import type { PushRequest, PushResult, WriteFrameRequest } from './push';
import type { LoadSnapshotRequest, LoadSnapshotResult } from './spark/snapshot-load';
import type { RetrieveOnlineDocumentsRequest } from './online/vector';
import {
  getOnlineFeatures,
  getOnlineRows,
  materialize,
  readWatermarks,
  writeToOnlineStore,
  materializeIncremental,
  onlineResponse,
  type GetOnlineFeaturesRequest,
  type MaterializeIncrementalRequest,
  type MaterializeRequest,
  type MaterializeResult,
  type OnlineFeaturesResponse,
  type OnlineRows,
  type WriteResult,
  type WriteToOnlineStoreRequest,
} from './online';

/** The push path, loaded on first use (it writes Parquet): a lookup service never needs it. */
const pushModule = () => require('./push') as typeof import('./push');

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
    return historicalWithOnDemand(this.manifest, this.context.env, request, (r) => getHistoricalFeatures(this.context, r));
  }

  getOnlineFeatures(request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
    if (!this.manifest.onDemandFeatureViews) return getOnlineFeatures(this.context, request);
    return this.getOnlineRows(request).then((rows) => onlineResponse(rows));
  }

  /**
   * The same lookup as `getOnlineFeatures`, in column form (values with statuses and
   * times per column group): what a server writes its response from without building
   * the response object.
   */
  getOnlineRows(request: GetOnlineFeaturesRequest): Promise<OnlineRows> {
    return onlineRowsWithOnDemand(this.manifest, this.context.env, request, (r) => getOnlineRows(this.context, r));
  }

  /**
   * The `topK` entities whose embedding (a vector-indexed feature) is nearest `query`,
   * with their distances and the features asked for, as Feast's
   * `retrieve_online_documents_v2` answers: features, then `distance`, then the join keys.
   */
  retrieveOnlineDocuments(request: RetrieveOnlineDocumentsRequest): Promise<OnlineFeaturesResponse> {
    // Loaded on first use: a lookup service without vector indexes never needs it.
    const { retrieveOnlineDocumentsFromStore } = require('./online/vector') as typeof import('./online/vector');
    return this.context.onlineStore().then((store) => retrieveOnlineDocumentsFromStore(store, request));
  }

  materialize(request: MaterializeRequest): Promise<MaterializeResult> {
    return materialize(this.context, request);
  }

  materializeIncremental(request: MaterializeIncrementalRequest): Promise<MaterializeResult> {
    return materializeIncremental(this.context, request);
  }

  /** Feast's push: rows of a push source to its views, online, offline (a new part file) or both. */
  push(request: PushRequest): Promise<PushResult> {
    return pushModule().push(this.context, request);
  }

  /** Rows (an Arrow table or JSON columns named as in the view) written straight to a view's online store. */
  writeToOnlineStore(request: WriteToOnlineStoreRequest): Promise<WriteResult> {
    return writeToOnlineStore(this.context, request);
  }

  /** Feast's write-to-online-store: JSON columns named as the view's batch source stores them. */
  writeFrame(request: WriteFrameRequest): Promise<WriteResult> {
    return pushModule().writeFrame(this.context, request);
  }

  /**
   * Loads a snapshot that the generated Spark (or DuckDB) snapshot job wrote, one row
   * per entity key, into the online store; a newer value online is never replaced.
   */
  loadSnapshot(request: LoadSnapshotRequest): Promise<LoadSnapshotResult> {
    // Loaded on first use: a lookup service never needs the snapshot reader.
    const { loadSnapshot } = require('./spark/snapshot-load') as typeof import('./spark/snapshot-load');
    return loadSnapshot(this.context, request);
  }

  /**
   * When each online view was last materialized, in epoch microseconds by view name;
   * empty when the registry has no online view (the store is not even opened).
   */
  async watermarks(): Promise<Record<string, number>> {
    if (!this.manifest.featureViews.some((v) => v.online)) return {};
    return readWatermarks(this.context);
  }

  /** Resolves when the online store answers one small read; rejects with why it did not. */
  async health(): Promise<void> {
    await (await this.context.onlineStore()).readWatermarks();
  }

  close(): Promise<void> {
    return this.context.close();
  }
}
