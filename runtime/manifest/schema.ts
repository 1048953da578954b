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
const hdfsLake = z.strictObject({
  kind: z.literal('hdfs'),
  name,
  /** e.g. `http://namenode:9870/webhdfs/v1` */
  webhdfsUrl: z.string().url(),
  user: z.string().min(1),
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
  /** Hash over everything above. */
  hash,
});

export type JoinKeySpec = z.infer<typeof joinKeySchema>;
export type FieldSpec = z.infer<typeof fieldSchema>;
export type EntitySpec = z.infer<typeof entitySchema>;
export type LakeSpec = z.infer<typeof lakeSchema>;
export type LocalLakeSpec = z.infer<typeof localLake>;
export type HdfsLakeSpec = z.infer<typeof hdfsLake>;
export type AdlsLakeSpec = z.infer<typeof adlsLake>;
export type AdlsAuthSpec = z.infer<typeof adlsAuth>;
export type DataSourceSpec = z.infer<typeof dataSourceSchema>;
export type BatchSourceSpec = z.infer<typeof batchSource>;
export type PushSourceSpec = z.infer<typeof pushSource>;
export type RequestSourceSpec = z.infer<typeof requestSource>;
export type FeatureViewSpec = z.infer<typeof featureViewSchema>;
export type ProjectionSpec = z.infer<typeof projectionSchema>;
export type FeatureServiceSpec = z.infer<typeof featureServiceSchema>;
export type OnlineStoreSpec = z.infer<typeof onlineStoreSchema>;
export type EmbeddedStoreSpec = z.infer<typeof embeddedStore>;
export type RedisStoreSpec = z.infer<typeof redisStore>;
export type OnlineLayout = z.infer<typeof layout>;
export type Manifest = z.infer<typeof manifestSchema>;

/** HDFS layout plan (`hdfs-plan.json`), applied by `featurestack hdfs apply`. */
export const hdfsPlanSchema = z.strictObject({
  planVersion: z.literal(1),
  lake: name,
  webhdfsUrl: z.string().url(),
  user: z.string().min(1),
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
