/**
 * Turns an HDFS lake's (or layout plan's) connection settings into a WebHDFS client:
 * reads the environment variables and files they name, at run time, so that the manifest
 * only ever holds names and paths. Errors name the lake, the setting and the fix.
 */
import { readFileSync } from 'node:fs';
import { FeatureStoreError } from '../errors';
import type { HdfsAuthSpec, HdfsFileRef, HdfsLakeSpec, HdfsValueRef } from '../manifest/schema';
import { WebHdfsClient, type WebHdfsAuth, type WebHdfsClientOptions } from './webhdfs-client';

/** The fields a lake and a layout plan share. */
export type HdfsConnectionSpec = Pick<HdfsLakeSpec, 'webhdfsUrl' | 'user' | 'namenodes' | 'auth' | 'tls' | 'gateway'>;

/**
 * The namenodes' WebHDFS URLs: FEATURESTACK_WEBHDFS_URL (one URL, or several separated by
 * commas for HA) replaces the configured ones.
 */
export function namenodeUrls(spec: Pick<HdfsConnectionSpec, 'webhdfsUrl' | 'namenodes'>, env: NodeJS.ProcessEnv): string[] {
  const override = env.FEATURESTACK_WEBHDFS_URL?.split(',').map((u) => u.trim()).filter(Boolean);
  const urls = override?.length ? override : (spec.namenodes ?? [spec.webhdfsUrl]);
  return urls.map((u) => u.replace(/\/+$/, ''));
}

function missing(lake: string, setting: string, what: string, hint: string): FeatureStoreError {
  return new FeatureStoreError('LAKE_ERROR', `hdfs lake "${lake}": ${setting} ${what}`, hint);
}

function valueOf(ref: HdfsValueRef, env: NodeJS.ProcessEnv, lake: string, setting: string): string {
  if ('value' in ref) return ref.value;
  const value = env[ref.env];
  if (!value) throw missing(lake, setting, `is read from the environment variable ${ref.env}, which is not set`, `set ${ref.env}`);
  return value;
}

function pathOf(ref: HdfsFileRef, env: NodeJS.ProcessEnv, lake: string, setting: string): string {
  if ('path' in ref) return ref.path;
  const value = env[ref.env];
  if (!value) throw missing(lake, setting, `is the path in the environment variable ${ref.env}, which is not set`, `set ${ref.env} to the file's path`);
  return value;
}

function readable(path: string, lake: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw missing(lake, setting, `${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, `check the path and that this user may read it`);
  }
}

export function resolveAuth(auth: HdfsAuthSpec | undefined, env: NodeJS.ProcessEnv, lake: string): WebHdfsAuth {
  if (!auth || auth.kind === 'simple') return { kind: 'simple' };
  if (auth.kind === 'delegationToken') {
    const token = env[auth.env];
    if (!token) throw missing(lake, 'auth', `uses the delegation token in ${auth.env}, which is not set`, `set ${auth.env} to a token from GETDELEGATIONTOKEN (its urlString)`);
    return { kind: 'delegationToken', token: token.trim(), source: auth.env };
  }
  const handedIn = auth.delegationTokenEnv ? env[auth.delegationTokenEnv] : undefined;
  if (handedIn) return { kind: 'delegationToken', token: handedIn.trim(), source: auth.delegationTokenEnv };
  const keytab = auth.keytab && pathOf(auth.keytab, env, lake, 'auth.keytab');
  if (keytab) readable(keytab, lake, 'auth.keytab');
  const krb5Config = auth.krb5Config && pathOf(auth.krb5Config, env, lake, 'auth.krb5Config');
  if (krb5Config) readable(krb5Config, lake, 'auth.krb5Config');
  return {
    kind: 'kerberos',
    principal: valueOf(auth.principal, env, lake, 'auth.principal'),
    keytab,
    ticketCache: auth.ticketCache && pathOf(auth.ticketCache, env, lake, 'auth.ticketCache'),
    krb5Config,
    service: auth.service,
    delegationTokens: auth.delegationTokens,
  };
}

/** Client options for a lake's settings (the URLs aside). */
export function webHdfsClientOptions(spec: HdfsConnectionSpec, env: NodeJS.ProcessEnv, lake: string): WebHdfsClientOptions {
  const caPath = spec.tls && pathOf(spec.tls.caBundle, env, lake, 'tls.caBundle');
  const gateway = spec.gateway && {
    user: valueOf(spec.gateway.user, env, lake, 'gateway.user'),
    password: env[spec.gateway.passwordEnv] ?? '',
  };
  if (spec.gateway && !gateway?.password) throw missing(lake, 'gateway', `reads its password from ${spec.gateway.passwordEnv}, which is not set`, `set ${spec.gateway.passwordEnv}`);
  return {
    auth: resolveAuth(spec.auth, env, lake),
    ...(caPath ? { caBundle: readable(caPath, lake, 'tls.caBundle'), caBundleSource: caPath } : {}),
    ...(gateway ? { gateway } : {}),
  };
}

/** A WebHDFS client for a lake or plan, with its namenodes, security and TLS settings. */
export function webHdfsClientFor(spec: HdfsConnectionSpec, env: NodeJS.ProcessEnv, lake: string, extra: Partial<WebHdfsClientOptions> = {}): WebHdfsClient {
  const [first, ...others] = namenodeUrls(spec, env);
  return new WebHdfsClient(first, spec.user, { ...webHdfsClientOptions(spec, env, lake), namenodes: others, ...extra });
}
