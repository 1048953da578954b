import { Construct } from 'constructs';
import { DataResource } from 'cdktf';
import type { HdfsAuthSpec, HdfsFileRef, HdfsLakeSpec, HdfsValueRef } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { checkRegistryName, problem, validateAtSynth } from '../core/validation';
import { HDFS_PLAN_FILE, synthesizedFileMd5, synthesizedFileReference } from '../repo/output-files';
import type { HdfsConnectionSettings, HdfsFolderAccess, IHdfsLake } from './lake';

const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** A file the runtime opens (keytab, ticket cache, krb5.conf, CA bundle): by path, or by a variable holding its path. */
export class HdfsFile {
  /** An absolute path on the machines that run featurestack. */
  static path(path: string): HdfsFile {
    return new HdfsFile({ path });
  }

  /** The path is in this environment variable at run time. */
  static fromEnv(name: string): HdfsFile {
    return new HdfsFile({ env: name });
  }

  private constructor(readonly ref: HdfsFileRef) {}
}

/** A setting given here, or read from an environment variable at run time. */
export class HdfsValue {
  static of(value: string): HdfsValue {
    return new HdfsValue({ value });
  }

  static fromEnv(name: string): HdfsValue {
    return new HdfsValue({ env: name });
  }

  private constructor(readonly ref: HdfsValueRef) {}
}

export interface HdfsKerberosProps {
  /** e.g. `HdfsValue.of('featurestack@CORP.EXAMPLE.COM')`, or the principal's environment variable. */
  readonly principal: HdfsValue | string;
  /** The principal's keytab. @default the ticket cache that `kinit` fills */
  readonly keytab?: HdfsFile;
  /** KRB5CCNAME, e.g. `HdfsFile.path('FILE:/tmp/krb5cc_featurestack')`. @default libkrb5's default cache */
  readonly ticketCache?: HdfsFile;
  /** KRB5_CONFIG. @default /etc/krb5.conf */
  readonly krb5Config?: HdfsFile;
  /** The service of the namenodes' SPNEGO principal (`HTTP/<namenode host>@REALM`). @default 'HTTP' */
  readonly service?: string;
  /** One delegation token per run (renewed and cancelled by featurestack) instead of SPNEGO on each call. @default true */
  readonly delegationTokens?: boolean;
}

export interface HdfsGatewayProps {
  /** The gateway user for HTTP basic auth. */
  readonly user: HdfsValue | string;
  /** The environment variable holding the password (never the password). */
  readonly passwordEnv: string;
}

export interface HdfsLakeProps extends Partial<HdfsFolderAccess> {
  /** Registry name of the lake. @default the construct id */
  readonly name?: string;
  /**
   * The namenode's WebHDFS endpoint, e.g. `http://namenode:9870/webhdfs/v1`,
   * `https://namenode:9871/webhdfs/v1` or `swebhdfs://namenode:9871`; a gateway's, e.g.
   * `https://knox:8443/gateway/default/webhdfs/v1`. @default the first of `namenodes`
   */
  readonly webhdfsUrl?: string;
  /** HA: every namenode's WebHDFS endpoint; the runtime finds the active one and fails over. @default [webhdfsUrl] */
  readonly namenodes?: readonly string[];
  /** User the runtime and the plan act as (`user.name`, without Kerberos). @default 'hdfs' */
  readonly user?: string;
  /** Kerberos (SPNEGO) for every WebHDFS call. @default no security (`user.name`) */
  readonly kerberos?: HdfsKerberosProps;
  /**
   * A delegation token handed in from outside (e.g. by a scheduler) in this environment
   * variable: with `kerberos`, used instead of Kerberos whenever it is set; without, the
   * only credential. @default none
   */
  readonly delegationTokenEnv?: string;
  /** A CA bundle (PEM) trusted for https namenodes and datanodes, besides the system's. @default the system's CAs */
  readonly caBundle?: HdfsFile;
  /** HTTP basic auth for a gateway (Knox) in front of WebHDFS. @default none */
  readonly gateway?: HdfsGatewayProps;
  /** The RPC address Spark jobs use: `hdfs://host:8020`, or `hdfs://nameservice` for HA. @default hdfs://<first namenode host>:8020 */
  readonly rpcUrl?: string;
}

/** `swebhdfs://host:port` and `webhdfs://host:port` as the https / http WebHDFS URLs they stand for. */
function webhdfsEndpoint(url: string): string {
  const scheme = /^(s?webhdfs):\/\/([^/]+)\/?$/.exec(url);
  if (!scheme) return url;
  return `${scheme[1] === 'swebhdfs' ? 'https' : 'http'}://${scheme[2]}/webhdfs/v1`;
}

/**
 * An existing HDFS cluster. At deploy a `terraform_data` resource runs
 * `featurestack hdfs apply` with the synthesized `hdfs-plan.json`, which creates each
 * HdfsSource's folder with its owner, group and permission; it runs again whenever
 * the plan changes. Defaults for folders: owner = user, group `hadoop`, permission `750`.
 * Security (Kerberos, delegation tokens, TLS, a gateway) and HA namenodes are carried
 * into the registry and the plan as names and paths, never as secrets.
 */
export class HdfsLake extends Construct implements IHdfsLake {
  readonly kind = 'hdfs' as const;
  readonly lakeName: string;
  readonly webhdfsUrl: string;
  readonly namenodes: readonly string[];
  readonly user: string;
  readonly folderDefaults: HdfsFolderAccess;
  readonly connection: HdfsConnectionSettings;
  private readonly props: HdfsLakeProps;

  constructor(scope: Construct, id: string, props: HdfsLakeProps) {
    super(scope, id);
    this.props = props;
    this.lakeName = props.name ?? id;
    this.namenodes = (props.namenodes ?? (props.webhdfsUrl ? [props.webhdfsUrl] : [])).map(webhdfsEndpoint);
    this.webhdfsUrl = props.webhdfsUrl ? webhdfsEndpoint(props.webhdfsUrl) : (this.namenodes[0] ?? '');
    this.user = props.user ?? 'hdfs';
    this.folderDefaults = { owner: props.owner ?? this.user, group: props.group ?? 'hadoop', permission: props.permission ?? '750' };
    this.connection = this.connectionSettings();
    const plan = synthesizedFileReference(HDFS_PLAN_FILE);
    new DataResource(this, 'Resource', {
      triggersReplace: { plan: synthesizedFileMd5(HDFS_PLAN_FILE) },
      provisioners: [{ type: 'local-exec', command: `npx --no-install featurestack hdfs apply --plan "${plan}"` }],
    });
    validateAtSynth(this, () => this.check());
  }

  private connectionSettings(): HdfsConnectionSettings {
    const { kerberos, delegationTokenEnv, caBundle, gateway, rpcUrl } = this.props;
    const value = (v: HdfsValue | string): HdfsValueRef => (typeof v === 'string' ? { value: v } : v.ref);
    let auth: HdfsAuthSpec | undefined;
    if (kerberos) {
      auth = {
        kind: 'kerberos',
        principal: value(kerberos.principal),
        ...(kerberos.keytab ? { keytab: kerberos.keytab.ref } : {}),
        ...(kerberos.ticketCache ? { ticketCache: kerberos.ticketCache.ref } : {}),
        ...(kerberos.krb5Config ? { krb5Config: kerberos.krb5Config.ref } : {}),
        ...(kerberos.service ? { service: kerberos.service } : {}),
        ...(kerberos.delegationTokens === false ? { delegationTokens: false } : {}),
        ...(delegationTokenEnv ? { delegationTokenEnv } : {}),
      };
    } else if (delegationTokenEnv) {
      auth = { kind: 'delegationToken', env: delegationTokenEnv };
    }
    return {
      ...(this.namenodes.length > 1 ? { namenodes: [this.webhdfsUrl, ...this.namenodes.filter((n) => n !== this.webhdfsUrl)] } : {}),
      ...(auth ? { auth } : {}),
      ...(caBundle ? { tls: { caBundle: caBundle.ref } } : {}),
      ...(gateway ? { gateway: { user: value(gateway.user), passwordEnv: gateway.passwordEnv } } : {}),
      ...(rpcUrl ? { rpcUrl } : {}),
    };
  }

  private check(): string[] {
    const errors = checkRegistryName(this, 'lake', this.lakeName);
    const { kerberos, delegationTokenEnv, caBundle, gateway, rpcUrl } = this.props;
    if (this.namenodes.length === 0) {
      errors.push(problem(this, 'no WebHDFS endpoint', 'give webhdfsUrl, e.g. "http://namenode:9870/webhdfs/v1", or namenodes for an HA pair'));
    }
    for (const url of this.namenodes) {
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        errors.push(problem(this, `webhdfsUrl "${url}" is not an http(s) URL`, 'give the WebHDFS endpoint, e.g. "http://namenode:9870/webhdfs/v1" or "swebhdfs://namenode:9871"'));
      }
    }
    const urls = this.namenodes.filter((u) => URL.canParse(u));
    const https = urls.filter((u) => u.startsWith('https:'));
    if (https.length > 0 && https.length < urls.length) errors.push(problem(this, 'some namenodes are https and some http', 'serve WebHDFS the same way on every namenode (dfs.http.policy)'));
    if (this.props.webhdfsUrl && this.props.namenodes && !this.namenodes.includes(this.webhdfsUrl)) {
      errors.push(problem(this, `webhdfsUrl "${this.webhdfsUrl}" is not one of the namenodes`, 'list it in namenodes, or leave webhdfsUrl out'));
    }
    const envName = (setting: string, name: string | undefined) => {
      if (name !== undefined && !ENV_VAR_NAME.test(name)) errors.push(problem(this, `${setting} "${name}" is not an environment variable name`, 'use A-Z, 0-9 and _, e.g. "HDFS_DELEGATION_TOKEN"'));
    };
    const file = (setting: string, f: HdfsFile | undefined) => {
      if (!f) return;
      if ('env' in f.ref) envName(setting, f.ref.env);
      else if (!/^(FILE:|DIR:|KEYRING:|KCM:|MEMORY:)?\//.test(f.ref.path)) errors.push(problem(this, `${setting} "${f.ref.path}" is not an absolute path`, 'give an absolute path, or HdfsFile.fromEnv("VAR") for a path known only at run time'));
    };
    envName('delegationTokenEnv', delegationTokenEnv);
    if (kerberos) {
      const principal = typeof kerberos.principal === 'string' ? HdfsValue.of(kerberos.principal) : kerberos.principal;
      if ('env' in principal.ref) envName('kerberos.principal', principal.ref.env);
      else if (!/^[^@/\s]+(\/[^@\s]+)?@[^@\s]+$/.test(principal.ref.value)) {
        errors.push(problem(this, `kerberos principal "${principal.ref.value}" is not user@REALM`, 'give the full principal, e.g. "featurestack@CORP.EXAMPLE.COM" or "featurestack/host.example.com@CORP.EXAMPLE.COM"'));
      }
      file('kerberos.keytab', kerberos.keytab);
      file('kerberos.ticketCache', kerberos.ticketCache);
      file('kerberos.krb5Config', kerberos.krb5Config);
      if (kerberos.keytab && kerberos.ticketCache) errors.push(problem(this, 'kerberos has both a keytab and a ticket cache', 'name one: a keytab for services, the ticket cache of kinit for a person'));
    }
    file('caBundle', caBundle);
    if (caBundle && https.length === 0) errors.push(problem(this, 'caBundle is given but no namenode is https', 'use https:// or swebhdfs:// namenode URLs, or drop caBundle'));
    if (gateway) {
      envName('gateway.passwordEnv', gateway.passwordEnv);
      if (https.length === 0) errors.push(problem(this, 'gateway basic auth over plain http would send the password in clear', 'use the gateway\'s https URL'));
      if (kerberos) errors.push(problem(this, 'both a gateway and kerberos are set', 'a gateway authenticates with basic auth and talks Kerberos to the cluster itself: drop kerberos'));
    }
    if (rpcUrl !== undefined && !/^hdfs:\/\/[^/]+$/.test(rpcUrl)) errors.push(problem(this, `rpcUrl "${rpcUrl}" is not hdfs://host:port or hdfs://nameservice`, 'e.g. "hdfs://namenode:8020", or "hdfs://prod-ns" with HA'));
    if (this.namenodes.length > 1 && rpcUrl === undefined) {
      errors.push(problem(this, 'HA namenodes but no rpcUrl for Spark', 'give rpcUrl: "hdfs://<nameservice>" as in the cluster\'s dfs.nameservices'));
    }
    return errors;
  }

  toLakeSpec(): HdfsLakeSpec {
    return withHash<HdfsLakeSpec>({ kind: 'hdfs', name: this.lakeName, webhdfsUrl: this.webhdfsUrl, user: this.user, ...this.connection });
  }
}
