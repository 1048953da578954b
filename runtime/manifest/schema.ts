/**
 * The registry manifest: the contract between the definitions (constructs/) and the
 * runtime. `constructs/` emits it with these types; the runtime validates what it
 * loads against the same schema, so a hand-edited or stale file fails with the
 * path of the bad field.
 */
import { z } from 'zod';

export const MANIFEST_VERSION = 1 as const;

/** Scalar value types, named as Feast's `feast.types` names them. */
export const PRIMITIVE_TYPES = [
  'Int32',
  'Int64',
  'Float32',
  'Float64',
  'String',
  'Bytes',
  'Bool',
  'UnixTimestamp',
] as const;
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

/** A feature's type: a primitive or `Array(<primitive>)`. */
export type FeatureDtype = PrimitiveType | `Array(${PrimitiveType})`;
export const FEATURE_DTYPES: readonly FeatureDtype[] = [
  ...PRIMITIVE_TYPES,
  ...PRIMITIVE_TYPES.map((t) => `Array(${t})` as const),
];

/** Join keys may only be scalars Feast can serialize into an entity key. */
export const JOIN_KEY_TYPES = ['String', 'Bytes', 'Int32', 'Int64', 'UnixTimestamp'] as const;
export type JoinKeyType = (typeof JOIN_KEY_TYPES)[number];

const name = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must start with a letter or _ and contain only letters, digits and _');
const hash = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lower-case hex digits');
const tags = z.record(z.string(), z.string());
const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (A-Z, 0-9, _)');

const meta = {
  description: z.string(),
  tags,
  owner: z.string(),
};

export const joinKeySchema = z.strictObject({
  name,
  valueType: z.enum(JOIN_KEY_TYPES),
});

export const fieldSchema = z.strictObject({
  name,
  dtype: z.enum(FEATURE_DTYPES as [FeatureDtype, ...FeatureDtype[]]),
  description: z.string(),
  tags,
});

export const entitySchema = z.strictObject({
  name,
  joinKeys: z.array(joinKeySchema).min(1),
  ...meta,
  hash,
});

const localLake = z.strictObject({
  kind: z.literal('local'),
  name,
  /** Folder holding the lake; relative paths resolve against the working directory. */
  root: z.string().min(1),
  hash,
});
/** A file named by its path, or by an environment variable holding its path; never its bytes. */
const hdfsFileRef = z.union([z.strictObject({ path: z.string().min(1) }), z.strictObject({ env: envVarName })]);
/** A value given in the definitions, or read from an environment variable at run time. */
const hdfsValueRef = z.union([z.strictObject({ value: z.string().min(1) }), z.strictObject({ env: envVarName })]);
const hdfsAuth = z.discriminatedUnion('kind', [
  /** `user.name` in each call (no security): the default. */
  z.strictObject({ kind: z.literal('simple') }),
  /** SPNEGO from a keytab, or from the ticket cache (`kinit`) when no keytab is named. */
  z.strictObject({
    kind: z.literal('kerberos'),
    principal: hdfsValueRef,
    keytab: hdfsFileRef.optional(),
    /** KRB5CCNAME for the ticket cache; libkrb5's default when absent. */
    ticketCache: hdfsFileRef.optional(),
    /** KRB5_CONFIG; /etc/krb5.conf when absent. */
    krb5Config: hdfsFileRef.optional(),
    /** Service of the namenodes' SPNEGO principal (`HTTP/<namenode host>`). Absent: HTTP. */
    service: z.string().min(1).optional(),
    /** Fetch one delegation token per run and use it for the other calls. Absent: true. */
    delegationTokens: z.boolean().optional(),
    /** A delegation token handed in by a scheduler: when this variable is set, it is used instead of Kerberos. */
    delegationTokenEnv: envVarName.optional(),
  }),
  /** Only a delegation token handed in from outside, in this environment variable. */
  z.strictObject({ kind: z.literal('delegationToken'), env: envVarName }),
]);
/** How to reach and authenticate to a cluster, shared by the lake and its layout plan; all optional. */
const hdfsConnection = {
  /** HA: every namenode's WebHDFS URL, `webhdfsUrl` first; the client finds the active one. */
  namenodes: z.array(z.string().url()).min(2).optional(),
  auth: hdfsAuth.optional(),
  /** HTTPS (swebhdfs): the CA bundle (PEM) that signed the namenodes' and datanodes' certificates, besides the system's. */
  tls: z.strictObject({ caBundle: hdfsFileRef }).optional(),
  /** A gateway (Knox-style) in front of WebHDFS, with HTTP basic auth; its base path is in the URLs. */
  gateway: z.strictObject({ user: hdfsValueRef, passwordEnv: envVarName }).optional(),
};
const hdfsLake = z.strictObject({
  kind: z.literal('hdfs'),
  name,
  /** e.g. `http://namenode:9870/webhdfs/v1` (the first namenode when there are several) */
  webhdfsUrl: z.string().url(),
  user: z.string().min(1),
  ...hdfsConnection,
  /** The namenodes' RPC address for Spark (`hdfs://host:port`, or `hdfs://nameservice` for HA). */
  rpcUrl: z.string().regex(/^hdfs:\/\/[^/]+$/, 'must be hdfs://host:port or hdfs://nameservice').optional(),
  hash,
});
const adlsAuth = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('defaultAzureCredential') }),
  /** The connection string is read from this environment variable at run time. */
  z.strictObject({ kind: z.literal('connectionString'), env: envVarName }),
  /** The account key is read from this environment variable at run time. */
  z.strictObject({ kind: z.literal('accountKey'), env: envVarName }),
]);
const adlsLake = z.strictObject({
  kind: z.literal('adls'),
  name,
  accountName: z.string().regex(/^[a-z0-9]{3,24}$/),
  /** e.g. `https://<account>.dfs.core.windows.net` */
  dfsEndpoint: z.string().url(),
  auth: adlsAuth,
  hash,
});
export const lakeSchema = z.discriminatedUnion('kind', [localLake, hdfsLake, adlsLake]);

const batchSource = z.strictObject({
  kind: z.literal('batch'),
  name,
  /** How the user declared it: FileSource, HdfsSource or AdlsSource. */
  declaredAs: z.enum(['file', 'hdfs', 'adls']),
  /** Name of the lake (see `lakes`) that holds the data. */
  lake: name,
  /** ADLS filesystem (container); on a local lake it becomes the first folder. */
  filesystem: z.string().nullable(),
  /** A Parquet file or a folder of part files (hive-partitioned or not), relative to the lake. */
  path: z.string().min(1),
  format: z.literal('parquet'),
  timestampField: z.string().min(1),
  createdTimestampColumn: z.string().nullable(),
  /** Column in the data -> feature or join key name. */
  fieldMapping: z.record(z.string(), z.string()),
  ...meta,
  hash,
});
const pushSource = z.strictObject({
  kind: z.literal('push'),
  name,
  /** The batch source that holds this push source's history. */
  batchSource: name,
  ...meta,
  hash,
});
const requestSource = z.strictObject({
  kind: z.literal('request'),
  name,
  schema: z.array(fieldSchema),
  ...meta,
  hash,
});
export const dataSourceSchema = z.discriminatedUnion('kind', [batchSource, pushSource, requestSource]);

/** Functions an aggregation view computes over a window of raw events (docs/aggregations.md). */
export const AGGREGATION_FUNCTIONS = ['count', 'sum', 'mean', 'min', 'max', 'last'] as const;
export type AggregationFunction = (typeof AGGREGATION_FUNCTIONS)[number];

/**
 * Optional on a feature view: its features are aggregates over sliding windows of the
 * batch source's raw events, kept online as tiles (docs/aggregations.md).
 */
export const aggregationSpecSchema = z.strictObject({
  /** Tiles cover ((k - 1) * tileSeconds, k * tileSeconds] of epoch time; every window is a multiple. */
  tileSeconds: z.number().int().min(1),
  /** The raw event columns aggregated (names as in the view, after fieldMapping), with their types. */
  columns: z.array(z.strictObject({ name, dtype: z.enum(PRIMITIVE_TYPES) })).min(1),
  /** One per feature, in the view's feature order. */
  outputs: z
    .array(z.strictObject({ feature: name, column: name, function: z.enum(AGGREGATION_FUNCTIONS), windowSeconds: z.number().int().min(1) }))
    .min(1),
});

export const featureViewSchema = z.strictObject({
  name,
  /** Entity names; empty for an entity-less view. */
  entities: z.array(name),
  /** The join keys of those entities, resolved, in declaration order. */
  joinKeys: z.array(joinKeySchema),
  features: z.array(fieldSchema).min(1),
  /** 0 means no limit. */
  ttlSeconds: z.number().int().min(0),
  /** The source as declared (may be a push source). */
  source: name,
  /** The batch source read for training and materialization. */
  batchSource: name,
  online: z.boolean(),
  offline: z.boolean(),
  /** Present on an aggregation view (absent keeps older manifests and hashes as they were). */
  aggregation: aggregationSpecSchema.optional(),
  ...meta,
  hash,
});

export const projectionSchema = z.strictObject({
  featureView: name,
  /** `withName(alias)`: the name used in output columns instead of the view's. */
  alias: name.nullable(),
  /** The selected features, in order. */
  features: z.array(name).min(1),
  /** `withJoinKeyMap`: view join key -> column name in the entity rows. */
  joinKeyMap: z.record(z.string(), z.string()),
});

/** An on-demand view's input: request fields, or stored features of a feature view (by their names). */
export const onDemandSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('request'), source: name, fields: z.array(name).min(1) }),
  z.strictObject({ kind: z.literal('featureView'), featureView: name, features: z.array(name).min(1) }),
]);

/**
 * Where an on-demand view's transform lives: the TypeScript module and export it was
 * declared with, and the self-contained CommonJS bundle of it written at synth beside
 * registry.json, which the runtime loads only when its SHA-256 matches (docs/on-demand.md).
 */
export const onDemandTransformSchema = z.strictObject({
  /** The source module, relative to the package holding it (informational). */
  module: z.string().min(1),
  export: z.string().min(1),
  /** `row`: called once per row with one object of inputs, returning one object of outputs. */
  mode: z.literal('row'),
  /** The bundle, relative to the registry file's folder, e.g. `transforms/fare_per_mile.js`. */
  bundle: z.string().regex(/^transforms\/[A-Za-z0-9_]+\.js$/, 'must be transforms/<view>.js'),
  bundleSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
});

/** Feast's OnDemandFeatureView: features computed at request time by a transform. */
export const onDemandFeatureViewSchema = z.strictObject({
  name,
  sources: z.array(onDemandSourceSchema).min(1),
  /** The transform's outputs, in order. */
  features: z.array(fieldSchema).min(1),
  transform: onDemandTransformSchema,
  ...meta,
  hash,
});

export const featureServiceSchema = z.strictObject({
  name,
  projections: z.array(projectionSchema).min(1),
  ...meta,
  hash,
});

const layout = z.enum(['compact', 'feast']);
const embeddedStore = z.strictObject({
  kind: z.literal('embedded'),
  /** LMDB folder; relative paths resolve against the working directory. */
  path: z.string().min(1),
  layout,
  keyTtlSeconds: z.number().int().min(0).nullable(),
  hash,
});
const redisStore = z.strictObject({
  kind: z.literal('redis'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean(),
  cluster: z.boolean(),
  /** The password is read from this environment variable at run time (never stored here). */
  passwordEnv: envVarName.nullable(),
  layout,
  keyTtlSeconds: z.number().int().min(0).nullable(),
  hash,
});
export const onlineStoreSchema = z.discriminatedUnion('kind', [embeddedStore, redisStore]);

/** Vector similarity metrics, as Redis's query engine names them. */
export const VECTOR_METRICS = ['COSINE', 'L2', 'IP'] as const;
export type VectorMetric = (typeof VECTOR_METRICS)[number];

const positiveInt = z.number().int().min(1);
const vectorAlgorithm = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hnsw'), m: positiveInt, efConstruction: positiveInt, efRuntime: positiveInt }),
  z.strictObject({ kind: z.literal('flat') }),
]);

/** A vector index over one embedding feature of an online view (retrieveOnlineDocuments). */
export const vectorIndexSchema = z.strictObject({
  name,
  featureView: name,
  /** The embedding feature: `Array(Float32)` or `Array(Float64)`. */
  field: name,
  dimension: positiveInt,
  metric: z.enum(VECTOR_METRICS),
  algorithm: vectorAlgorithm,
  hash,
});

export const manifestSchema = z.strictObject({
  manifestVersion: z.literal(MANIFEST_VERSION),
  project: name,
  stack: z.string().min(1),
  onlineStore: onlineStoreSchema,
  lakes: z.array(lakeSchema),
  entities: z.array(entitySchema),
  dataSources: z.array(dataSourceSchema),
  featureViews: z.array(featureViewSchema),
  featureServices: z.array(featureServiceSchema),
  /** Absent when there are none, so older manifests and their hashes stay as they were. */
  onDemandFeatureViews: z.array(onDemandFeatureViewSchema).optional(),
  /** Absent when no view declares one, so registries without vector indexes keep their bytes and hashes. */
  vectorIndexes: z.array(vectorIndexSchema).optional(),
  /** Hash over everything above. */
  hash,
});

export type JoinKeySpec = z.infer<typeof joinKeySchema>;
export type FieldSpec = z.infer<typeof fieldSchema>;
export type EntitySpec = z.infer<typeof entitySchema>;
export type LakeSpec = z.infer<typeof lakeSchema>;
export type LocalLakeSpec = z.infer<typeof localLake>;
export type HdfsLakeSpec = z.infer<typeof hdfsLake>;
export type HdfsAuthSpec = z.infer<typeof hdfsAuth>;
export type HdfsFileRef = z.infer<typeof hdfsFileRef>;
export type HdfsValueRef = z.infer<typeof hdfsValueRef>;
export type AdlsLakeSpec = z.infer<typeof adlsLake>;
export type AdlsAuthSpec = z.infer<typeof adlsAuth>;
export type DataSourceSpec = z.infer<typeof dataSourceSchema>;
export type BatchSourceSpec = z.infer<typeof batchSource>;
export type PushSourceSpec = z.infer<typeof pushSource>;
export type RequestSourceSpec = z.infer<typeof requestSource>;
export type FeatureViewSpec = z.infer<typeof featureViewSchema>;
export type AggregationSpec = z.infer<typeof aggregationSpecSchema>;
export type ProjectionSpec = z.infer<typeof projectionSchema>;
export type FeatureServiceSpec = z.infer<typeof featureServiceSchema>;
export type OnDemandSourceSpec = z.infer<typeof onDemandSourceSchema>;
export type OnDemandTransformSpec = z.infer<typeof onDemandTransformSchema>;
export type OnDemandFeatureViewSpec = z.infer<typeof onDemandFeatureViewSchema>;
export type OnlineStoreSpec = z.infer<typeof onlineStoreSchema>;
export type EmbeddedStoreSpec = z.infer<typeof embeddedStore>;
export type RedisStoreSpec = z.infer<typeof redisStore>;
export type OnlineLayout = z.infer<typeof layout>;
export type Manifest = z.infer<typeof manifestSchema>;
export type VectorIndexSpec = z.infer<typeof vectorIndexSchema>;
export type VectorAlgorithmSpec = z.infer<typeof vectorAlgorithm>;

/** HDFS layout plan (`hdfs-plan.json`), applied by `featurestack hdfs apply`. */
export const hdfsPlanSchema = z.strictObject({
  planVersion: z.literal(1),
  lake: name,
  webhdfsUrl: z.string().url(),
  user: z.string().min(1),
  ...hdfsConnection,
  directories: z
    .array(
      z.strictObject({
        path: z.string().regex(/^\//, 'must be an absolute HDFS path'),
        owner: z.string().min(1),
        group: z.string().min(1),
        /** Octal permission, e.g. "750". */
        permission: z.string().regex(/^[0-7]{3,4}$/),
        /** The sources that live here. */
        sources: z.array(name),
      }),
    ),
});
export type HdfsPlan = z.infer<typeof hdfsPlanSchema>;
