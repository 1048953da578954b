/**
 * Hadoop's own secure and HA HDFS for tests (SecureMiniDfsLauncher): a MiniKdc and a
 * kerberized MiniDFSCluster (SPNEGO on WebHDFS, delegation tokens), two namenodes
 * (MiniDFSNNTopology) that the test can fail over or stop, and HTTPS only. One per test
 * file, started in beforeAll; the JVM exits when its stdin closes.
 *
 * The Kerberos side writes a krb5.conf for MIT Kerberos clients (the `kerberos` package,
 * kinit) pointing at the MiniKdc. Principals: `alice` and `bob` (users, each with a
 * keytab), `hdfs/localhost` (the cluster, its superuser) and `HTTP/localhost` (SPNEGO).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { stopLauncher } from './minidfs';
import { ensureMiniDfs } from './minidfs/provision';

export interface SecureMiniDfsOptions {
  readonly kerberos?: boolean;
  /** Two namenodes, the first active. */
  readonly ha?: boolean;
  /** HTTPS only, with this keystore (see tls-certificates.ts). */
  readonly https?: { readonly keystore: string; readonly password: string; readonly truststore: string };
  /** @default 1 */
  readonly datanodes?: number;
  /** More Hadoop settings, set last. */
  readonly conf?: Readonly<Record<string, string>>;
}

export interface SecureMiniDfs {
  /** Each namenode's WebHDFS URL, e.g. `http://localhost:40123/webhdfs/v1`. */
  readonly webhdfsUrls: readonly string[];
  readonly rpcPorts: readonly number[];
  /** `minidfs-ns` with HA, else empty. */
  readonly nameservice: string;
  readonly kerberos?: {
    readonly realm: string;
    /** A krb5.conf for MIT clients (KRB5_CONFIG). */
    readonly krb5Config: string;
    readonly aliceKeytab: string;
    readonly bobKeytab: string;
    readonly serviceKeytab: string;
  };
  /** Runs a launcher command (`failover 0 1`, `stop 0`, `active 1`, `ls-with-tokens FILE PATH`) and waits for its result. */
  command(line: string): Promise<string>;
  /** A fresh folder for ticket caches and the like, removed by stop(). */
  readonly scratch: string;
  stop(): Promise<void>;
}

interface Ready {
  readonly namenodes: { rpcPort: number; webPort: number }[];
  readonly nameservice: string;
  readonly realm?: string;
  readonly kdcPort?: number;
  readonly serviceKeytab?: string;
  readonly userKeytab?: string;
  readonly otherKeytab?: string;
}

const STARTUP_TIMEOUT_MS = 180_000;
const JVM_FLAGS = ['-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

export async function startSecureMiniDfs(options: SecureMiniDfsOptions): Promise<SecureMiniDfs> {
  const { classpath } = ensureMiniDfs();
  const baseDir = await mkdtemp(path.join(tmpdir(), 'featurestack-minidfs-secure-'));
  const flags = [options.kerberos && '--kerberos', options.ha && '--ha', options.https && '--https'].filter((f): f is string => Boolean(f));
  const conf: Record<string, string> = {};
  let extraClasspath = '';
  if (options.kerberos) {
    // WebHDFS is authenticated by Hadoop's HTTP authentication filter: SPNEGO.
    Object.assign(conf, {
      'hadoop.http.filter.initializers': 'org.apache.hadoop.security.AuthenticationFilterInitializer',
      'hadoop.http.authentication.type': 'kerberos',
      'hadoop.http.authentication.kerberos.principal': 'HTTP/localhost@EXAMPLE.COM',
      'hadoop.http.authentication.kerberos.keytab': path.join(baseDir, 'hdfs.keytab'),
      'hadoop.http.authentication.simple.anonymous.allowed': 'false',
    });
  }
  if (options.https) {
    const sslServer = `<configuration>
<property><name>ssl.server.keystore.type</name><value>pkcs12</value></property>
<property><name>ssl.server.truststore.type</name><value>pkcs12</value></property>
<property><name>ssl.server.keystore.location</name><value>${options.https.keystore}</value></property>
<property><name>ssl.server.keystore.password</name><value>${options.https.password}</value></property>
<property><name>ssl.server.keystore.keypassword</name><value>${options.https.password}</value></property>
<property><name>ssl.server.truststore.location</name><value>${options.https.truststore}</value></property>
<property><name>ssl.server.truststore.password</name><value>${options.https.password}</value></property>
</configuration>`;
    const sslClient = sslServer.replace(/ssl\.server\./g, 'ssl.client.');
    await writeFile(path.join(baseDir, 'ssl-server.xml'), sslServer);
    await writeFile(path.join(baseDir, 'ssl-client.xml'), sslClient);
    extraClasspath = `${baseDir}:`;
  }
  Object.assign(conf, options.conf);
  const settings = Object.entries(conf).map(([k, v]) => `${k}=${v}`);
  const child = spawn('java', [...JVM_FLAGS, '-cp', extraClasspath + classpath, 'featurestack.minidfs.SecureMiniDfsLauncher', baseDir, String(options.datanodes ?? 1), ...flags, ...settings], {
    env: { ...process.env, HADOOP_USER_NAME: 'hdfs' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = (what: string, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs / 1000} s; the launcher's log ends:\n${stderr}`)), timeoutMs);
      void exited.then((code) => reject(new Error(`${what}: the launcher exited (${code}); its log ends:\n${stderr}`)));
      child.once('error', (e) => reject(new Error(`could not run java for the MiniDFSCluster (${e.message}); install a Java 17 runtime`)));
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });

  let ready: Ready;
  try {
    ready = JSON.parse(await nextLine('secure MiniDFSCluster start', STARTUP_TIMEOUT_MS)) as Ready;
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    await rm(baseDir, { recursive: true, force: true });
    throw e;
  }
  const scheme = options.https ? 'https' : 'http';
  let kerberos: SecureMiniDfs['kerberos'];
  if (ready.realm) {
    const krb5Config = path.join(baseDir, 'krb5.conf');
    await writeFile(
      krb5Config,
      `[libdefaults]
  default_realm = ${ready.realm}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  udp_preference_limit = 1
[realms]
  ${ready.realm} = {
    kdc = localhost:${ready.kdcPort}
  }
`,
    );
    kerberos = { realm: ready.realm, krb5Config, aliceKeytab: ready.userKeytab!, bobKeytab: ready.otherKeytab!, serviceKeytab: ready.serviceKeytab! };
  }
  const scratch = path.join(baseDir, 'scratch');
  await mkdir(scratch);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    webhdfsUrls: ready.namenodes.map((n) => `${scheme}://localhost:${n.webPort}/webhdfs/v1`),
    rpcPorts: ready.namenodes.map((n) => n.rpcPort),
    nameservice: ready.nameservice,
    kerberos,
    scratch,
    command(line) {
      const run = queue.then(async () => {
        const answer = nextLine(`launcher command "${line}"`, 120_000);
        child.stdin.write(`${line}\n`);
        const parsed = JSON.parse(await answer) as { done?: string; result?: string; failed?: string };
        if (parsed.failed) throw new Error(`launcher command failed: ${parsed.failed}`);
        return parsed.result ?? '';
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async stop() {
      await stopLauncher(child, exited);
      lines.close();
      await rm(baseDir, { recursive: true, force: true });
    },
  };
}

/** `kinit -kt keytab principal` into a ticket cache of its own (MIT kinit, Debian's krb5-user). */
export async function kinit(krb5Config: string, keytab: string, principal: string, ticketCache: string, extra: readonly string[] = []): Promise<void> {
  await promisify(execFile)('kinit', [...extra, '-kt', keytab, principal], { env: { ...process.env, KRB5_CONFIG: krb5Config, KRB5CCNAME: ticketCache } });
}

/**
 * Moves the clock libkrb5 uses with a ticket cache by `seconds`: MIT keeps the KDC's time
 * offset in a FILE cache's header (tag 1, DELTATIME) and adds it to the local clock, so a
 * cache with an offset behaves as on a machine whose clock is that far off, without
 * touching the machine's clock (faketime cannot reach the `kerberos` addon's libkrb5).
 */
export async function shiftTicketCacheClock(file: string, seconds: number): Promise<void> {
  const bytes = await readFile(file);
  if (bytes.readUInt16BE(0) !== 0x0504) throw new Error(`${file} is not a version 4 FILE ticket cache`);
  const rest = bytes.subarray(4 + bytes.readUInt16BE(2));
  const header = Buffer.alloc(16);
  header.writeUInt16BE(0x0504, 0);
  header.writeUInt16BE(12, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(8, 6);
  header.writeInt32BE(seconds, 8);
  header.writeInt32BE(0, 12);
  await writeFile(file, Buffer.concat([header, rest]));
}
