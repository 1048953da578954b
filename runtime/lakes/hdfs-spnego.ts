/**
 * Kerberos SPNEGO for WebHDFS (`Authorization: Negotiate <token>`), through MIT Kerberos's
 * GSSAPI by the `kerberos` package (mongodb-js, a native addon built at install against
 * libkrb5-dev; an optional dependency, loaded only when a lake uses Kerberos).
 *
 * Credentials come from a keytab (libkrb5 gets and renews the tickets itself, through
 * KRB5_CLIENT_KTNAME) or from the ticket cache that `kinit` fills. libkrb5 reads those
 * settings from the process environment: each SPNEGO step sets them for its lake's
 * identity, one step at a time, so lakes with different principals can share a process.
 */
import { existsSync } from 'node:fs';
import { FeatureStoreError } from '../errors';

export interface KerberosSettings {
  /** e.g. `etl@EXAMPLE.COM` */
  readonly principal: string;
  /** Path of a keytab holding the principal's keys; absent: the ticket cache. */
  readonly keytab?: string;
  /** KRB5CCNAME, e.g. `FILE:/tmp/krb5cc_1000`; absent: libkrb5's default. */
  readonly ticketCache?: string;
  /** KRB5_CONFIG; absent: /etc/krb5.conf. */
  readonly krb5Config?: string;
  /** The service of the namenodes' SPNEGO principal. @default 'HTTP' */
  readonly service?: string;
}

interface KerberosPackage {
  initializeClient(service: string, options: { principal?: string; mechOID?: number }): Promise<{ step(challenge: string): Promise<string> }>;
  GSS_MECH_OID_SPNEGO: number;
}

let kerberosPackage: KerberosPackage | undefined;
/** The user's own Kerberos environment, restored for identities that do not set a variable. */
const ORIGINAL = { KRB5_CONFIG: process.env.KRB5_CONFIG, KRB5CCNAME: process.env.KRB5CCNAME, KRB5_CLIENT_KTNAME: process.env.KRB5_CLIENT_KTNAME };
/** libkrb5 reads the environment on its own thread: one SPNEGO step at a time. */
let queue: Promise<unknown> = Promise.resolve();

function loadKerberos(): KerberosPackage {
  if (kerberosPackage) return kerberosPackage;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    kerberosPackage = require('kerberos') as KerberosPackage;
  } catch (e) {
    throw new FeatureStoreError(
      'LAKE_ERROR',
      `Kerberos for HDFS needs the optional package "kerberos", which is not built here (${(e as Error).message.split('\n')[0]})`,
      'install MIT Kerberos headers and build it: apt-get install libkrb5-dev && npm install-scripts approve kerberos && npm rebuild kerberos',
      { cause: e },
    );
  }
  return kerberosPackage;
}

function setOrRestore(name: keyof typeof ORIGINAL, value: string | undefined): void {
  const next = value ?? ORIGINAL[name];
  if (next === undefined) delete process.env[name];
  else process.env[name] = next;
}

/** Points libkrb5 at the settings' keytab, ticket cache and krb5.conf. */
function useIdentity(settings: KerberosSettings): void {
  setOrRestore('KRB5_CONFIG', settings.krb5Config);
  setOrRestore('KRB5_CLIENT_KTNAME', settings.keytab);
  // Tickets got from a keytab stay in this process (one cache per keytab), not in the user's own cache.
  setOrRestore('KRB5CCNAME', settings.ticketCache ?? (settings.keytab ? `MEMORY:featurestack-${settings.keytab}` : undefined));
}

/** The `Authorization` header value for one request to `host`. */
export function negotiateHeader(settings: KerberosSettings, host: string, namenode: string): Promise<string> {
  const kerberos = loadKerberos();
  const target = `${settings.service ?? 'HTTP'}@${host}`;
  const step = queue.then(async () => {
    useIdentity(settings);
    try {
      const client = await kerberos.initializeClient(target, { principal: settings.principal, mechOID: kerberos.GSS_MECH_OID_SPNEGO });
      return `Negotiate ${await client.step('')}`;
    } catch (e) {
      throw kerberosError(settings, host, namenode, (e as Error).message ?? String(e), e);
    }
  });
  queue = step.catch(() => undefined);
  return step;
}

/** A GSSAPI or namenode Kerberos failure as an error naming the namenode and the fix. */
export function kerberosError(settings: KerberosSettings, host: string, namenode: string, message: string, cause?: unknown): FeatureStoreError {
  const who = settings.principal;
  const where = settings.keytab ? `keytab ${settings.keytab}` : `ticket cache ${settings.ticketCache ?? process.env.KRB5CCNAME ?? '(default)'}`;
  const fail = (what: string, hint: string) => new FeatureStoreError('LAKE_ERROR', `Kerberos to namenode ${namenode} failed: ${what} (${message.trim()})`, hint, { cause });
  if (/clock skew/i.test(message)) {
    return fail('clock skew between this machine, the KDC and the namenode', 'synchronise the clocks (NTP / chrony): Kerberos allows 5 minutes of difference');
  }
  if (/expired/i.test(message)) {
    return fail(`the ticket of ${who} has expired`, settings.keytab ? `check the keytab ${settings.keytab} (kvno) against the KDC` : `run: kinit ${who}, or name a keytab in the lake's kerberos settings`);
  }
  const cacheFile = /^(FILE:)?(\/.*)$/.exec(settings.ticketCache ?? '')?.[2];
  if (!settings.keytab && cacheFile && !existsSync(cacheFile)) {
    return fail(`no ticket for ${who} in the ${where}`, `run: kinit ${who}, or name a keytab in the lake's kerberos settings`);
  }
  if (/Can't find client principal|Keytab contains no suitable keys|Principal in credential cache does not match/i.test(message)) {
    return fail(`${where} holds no credentials for ${who}`, settings.keytab ? `name the principal the keytab holds (klist -kt ${settings.keytab}), or the keytab of ${who}` : `run: kinit ${who}, or fix the principal in the lake's kerberos settings`);
  }
  if (/Client .* not found in Kerberos database/i.test(message)) {
    return fail(`the KDC does not know ${who}`, 'fix the principal in the lake\'s kerberos settings (user@REALM)');
  }
  if (/Server .* not found in Kerberos database/i.test(message)) {
    return fail(`the KDC has no principal ${settings.service ?? 'HTTP'}/${host}`, `use the namenode's fully qualified host name, as in its SPNEGO principal (dfs.web.authentication.kerberos.principal), or set the kerberos service`);
  }
  if (/No Kerberos credentials available|No credentials cache found|not found \(filename|No credentials were supplied/i.test(message)) {
    return fail(`no ticket for ${who} in the ${where}`, `run: kinit ${who}, or name a keytab in the lake's kerberos settings`);
  }
  if (/Cannot (find|contact any) KDC|Cannot resolve network address for KDC/i.test(message)) {
    return fail('no KDC answered for the realm', 'check the realm\'s kdc entries in krb5.conf (KRB5_CONFIG) and that the KDC is reachable');
  }
  return fail('the namenode did not accept the ticket', `check that ${who} may use this cluster and that the namenode's SPNEGO keytab matches the KDC`);
}
