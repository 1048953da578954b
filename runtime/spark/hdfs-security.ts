/**
 * How a Spark job reaches the registry's secure HDFS lakes with the same settings the
 * runtime uses: a keytab becomes spark-submit's `--principal`/`--keytab` (Spark logs in,
 * fetches and renews its own tokens), a ticket cache becomes KRB5CCNAME, and a delegation
 * token handed in from outside becomes a Hadoop credentials file (HADOOP_TOKEN_FILE_LOCATION)
 * holding it as the HDFS RPC token. krb5.conf reaches the JVMs as java.security.krb5.conf.
 */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FeatureStoreError } from '../errors';
import { resolveAuth } from '../lakes/hdfs-connection';
import { credentialsFile, rpcTokenFor } from '../lakes/hdfs-token-file';
import type { HdfsLakeSpec, Manifest } from '../manifest/schema';

export interface SparkHdfsSecurity {
  /** spark-submit options, e.g. `--principal`, `--keytab`. */
  readonly options: readonly string[];
  readonly conf: Readonly<Record<string, string>>;
  /** Variables for the spark-submit process (paths only, never a token). */
  readonly env: Readonly<Record<string, string>>;
}

const NONE: SparkHdfsSecurity = { options: [], conf: {}, env: {} };

function nameserviceOf(lake: HdfsLakeSpec): string | undefined {
  const host = lake.rpcUrl && /^hdfs:\/\/([^/:]+)$/.exec(lake.rpcUrl)?.[1];
  return host && lake.namenodes ? host : undefined;
}

/**
 * The Spark settings for the manifest's HDFS lakes. Lakes with security must agree on
 * one identity (a spark-submit has one); a handed-in token is written under `tokenDir`
 * (default: a new private folder in the temp folder).
 */
export async function sparkHdfsSecurity(manifest: Manifest, env: NodeJS.ProcessEnv, tokenDir?: string): Promise<SparkHdfsSecurity> {
  const secured = manifest.lakes.filter((l): l is HdfsLakeSpec => l.kind === 'hdfs' && l.auth !== undefined && l.auth.kind !== 'simple');
  if (secured.length === 0) return NONE;
  const resolved = secured.map((lake) => ({ lake, auth: resolveAuth(lake.auth, env, lake.name) }));
  const identities = new Set(resolved.map(({ auth }) => JSON.stringify(auth.kind === 'delegationToken' ? ['token', auth.source] : auth.kind === 'kerberos' ? [auth.principal, auth.keytab, auth.ticketCache] : [])));
  if (identities.size > 1) {
    throw new FeatureStoreError('REQUEST_INVALID', `HDFS lakes ${secured.map((l) => l.name).join(', ')} use different credentials`, 'a Spark job has one identity: give the lakes one principal (or one token variable)');
  }
  const { lake, auth } = resolved[0];
  const filesystems = secured.map((l) => l.rpcUrl).filter((u): u is string => Boolean(u));
  if (auth.kind === 'delegationToken') {
    const dir = tokenDir ?? (await mkdtemp(path.join(tmpdir(), 'featurestack-tokens-')));
    const file = path.join(dir, `${lake.name}.token`);
    await writeFile(file, credentialsFile(`featurestack:${lake.name}`, rpcTokenFor(auth.token, nameserviceOf(lake))), { mode: 0o600 });
    await chmod(file, 0o600);
    return { options: [], conf: {}, env: { HADOOP_TOKEN_FILE_LOCATION: file } };
  }
  if (auth.kind !== 'kerberos') return NONE;
  const javaOptions = auth.krb5Config ? `-Djava.security.krb5.conf=${auth.krb5Config}` : undefined;
  return {
    options: auth.keytab ? ['--principal', auth.principal, '--keytab', auth.keytab] : [],
    conf: {
      ...(filesystems.length > 0 ? { 'spark.kerberos.access.hadoopFileSystems': filesystems.join(',') } : {}),
      ...(javaOptions ? { 'spark.driver.extraJavaOptions': javaOptions, 'spark.executor.extraJavaOptions': javaOptions } : {}),
    },
    env: {
      ...(auth.ticketCache && !auth.keytab ? { KRB5CCNAME: auth.ticketCache } : {}),
      ...(auth.krb5Config ? { KRB5_CONFIG: auth.krb5Config, SPARK_SUBMIT_OPTS: [env.SPARK_SUBMIT_OPTS, javaOptions].filter(Boolean).join(' ') } : {}),
    },
  };
}
