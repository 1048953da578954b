/**
 * A private CA and a certificate for `localhost` / 127.0.0.1 signed by it, made with the
 * JDK's keytool (there whenever the MiniDFSCluster is): the PEM CA bundle a client trusts,
 * and PKCS12 keystore and truststore for Hadoop's ssl-server.xml.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';

export interface TestCertificates {
  /** PEM of the CA that signed the server certificate. */
  readonly caBundle: string;
  /** PEM of a CA that signed nothing here (for "wrong CA" cases). */
  readonly otherCaBundle: string;
  readonly keystore: string;
  readonly truststore: string;
  readonly password: string;
}

const run = promisify(execFile);

async function keytool(...args: string[]): Promise<string> {
  return (await run('keytool', args, { maxBuffer: 1 << 20 })).stdout;
}

export async function makeTestCertificates(dir: string): Promise<TestCertificates> {
  await mkdir(dir, { recursive: true });
  const password = 'changeit';
  const store = (name: string) => ['-keystore', path.join(dir, name), '-storetype', 'PKCS12', '-storepass', password];
  const ca = async (name: string) => {
    await keytool('-genkeypair', '-alias', 'ca', '-keyalg', 'RSA', '-keysize', '2048', '-dname', `CN=${name}`, '-ext', 'bc:c', '-validity', '30', ...store(`${name}.p12`));
    const pem = await keytool('-exportcert', '-alias', 'ca', '-rfc', ...store(`${name}.p12`));
    await writeFile(path.join(dir, `${name}.pem`), pem);
    return pem;
  };
  const caBundle = await ca('featurestack-test-ca');
  const otherCaBundle = await ca('featurestack-other-ca');
  const server = store('server.p12');
  await keytool('-genkeypair', '-alias', 'server', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=localhost', '-validity', '30', ...server);
  const request = path.join(dir, 'server.csr');
  await keytool('-certreq', '-alias', 'server', '-file', request, ...server);
  const signed = path.join(dir, 'server.pem');
  await keytool('-gencert', '-alias', 'ca', '-infile', request, '-outfile', signed, '-rfc', '-ext', 'san=dns:localhost,ip:127.0.0.1', '-validity', '30', ...store('featurestack-test-ca.p12'));
  await keytool('-importcert', '-noprompt', '-alias', 'ca', '-file', path.join(dir, 'featurestack-test-ca.pem'), ...server);
  await keytool('-importcert', '-noprompt', '-alias', 'server', '-file', signed, ...server);
  await keytool('-importcert', '-noprompt', '-alias', 'ca', '-file', path.join(dir, 'featurestack-test-ca.pem'), ...store('truststore.p12'));
  return { caBundle: await readFile(path.join(dir, 'featurestack-test-ca.pem'), 'utf8'), otherCaBundle, keystore: path.join(dir, 'server.p12'), truststore: path.join(dir, 'truststore.p12'), password };
}
