/**
 * Provisions Hadoop's MiniDFSCluster for the tests: Maven resolves the jars of
 * `pom.xml` into the test cache and javac compiles the launcher next to them. The
 * result lives in a folder named by the hash of the Maven project, so the second run
 * downloads and compiles nothing. Called by jest's globalSetup.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testCacheDir } from '../python-env';

const PROJECT = __dirname;
const SOURCES = ['pom.xml', 'src/main/resources/log4j.properties', 'src/main/java/featurestack/minidfs/MiniDfsLauncher.java', 'src/main/java/featurestack/minidfs/SecureMiniDfsLauncher.java'];
const JAVA_SOURCES = SOURCES.filter((file) => file.endsWith('.java'));

/** Written last: a folder without it was interrupted and is made again. */
const COMPLETE = '.provisioned';

export interface MiniDfsInstallation {
  /** The launcher's classes and the Hadoop jars, for `java -cp`. */
  readonly classpath: string;
}

function installDir(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(file).update(readFileSync(join(PROJECT, file)));
  return join(testCacheDir(), `minidfs-${hash.digest('hex').slice(0, 12)}`);
}

/** The Hadoop version the launcher is built against (pom.xml's `hadoop.version`). */
export function hadoopVersion(): string {
  return /<hadoop\.version>([^<]+)<\/hadoop\.version>/.exec(readFileSync(join(PROJECT, 'pom.xml'), 'utf8'))![1];
}

/** The provisioned launcher, or undefined when `ensureMiniDfs` has not run. */
export function miniDfsInstallation(): MiniDfsInstallation | undefined {
  const dir = installDir();
  if (!existsSync(join(dir, COMPLETE))) return undefined;
  return { classpath: `${join(dir, 'classes')}:${readFileSync(join(dir, 'classpath.txt'), 'utf8').trim()}` };
}

export function ensureMiniDfs(): MiniDfsInstallation {
  const found = miniDfsInstallation();
  if (found) return found;
  const dir = installDir();
  const repository = join(testCacheDir(), 'm2');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'classes'), { recursive: true });
  process.stderr.write(`\nprovisioning for the tests: Hadoop ${hadoopVersion()} MiniDFSCluster from Maven Central into ${repository}\n`);
  const resolve = ['-B', '-q', `-Dmaven.repo.local=${repository}`, '-f', join(PROJECT, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${join(dir, 'classpath.txt')}`];
  try {
    execFileSync('mvn', resolve, { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `could not resolve Hadoop's MiniDFSCluster with Maven (${(e as Error).message.split('\n')[0]}); ` +
        `check that Maven Central (https://repo.maven.apache.org) is reachable and that mvn is installed, or run: mvn ${resolve.join(' ')}`,
    );
  }
  const classpath = readFileSync(join(dir, 'classpath.txt'), 'utf8').trim();
  try {
    execFileSync('javac', ['--release', '17', '-cp', classpath, '-d', join(dir, 'classes'), ...JAVA_SOURCES.map((file) => join(PROJECT, file))], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not compile the MiniDFSCluster launcher (${(e as Error).message.split('\n')[0]}); it needs a JDK 17 or later (javac) on the PATH`);
  }
  copyFileSync(join(PROJECT, SOURCES[1]), join(dir, 'classes', 'log4j.properties'));
  writeFileSync(join(dir, COMPLETE), `${new Date().toISOString()}\n`);
  return miniDfsInstallation()!;
}
