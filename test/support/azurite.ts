/**
 * Azurite (Microsoft's storage emulator), Blob service only, in memory, on a free
 * port of 127.0.0.1. Started as a child process and stopped by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from './free-port';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** Blob endpoint, IP style: `http://127.0.0.1:<port>/devstoreaccount1` */
  readonly blobUrl: string;
  readonly port: number;
  readonly connectionString: string;
  stop(): Promise<void>;
}

function waitForPort(port: number, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`azurite-blob exited with code ${child.exitCode}`));
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`azurite-blob did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  // Azurite may still write a debug or extent file: keep it out of the checkout.
  const location = await mkdtemp(path.join(tmpdir(), 'azurite-'));
  const bin = path.join(__dirname, '../../node_modules/.bin/azurite-blob');
  const args = ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--disableTelemetry', '--inMemoryPersistence', '--silent', '--skipApiVersionCheck'];
  const child = spawn(bin, args, { cwd: location, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    await waitForPort(port, child);
  } catch (e) {
    child.kill();
    throw new Error(`${(e as Error).message}\n${stderr}`);
  }
  const blobUrl = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  return {
    blobUrl,
    port,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobUrl};`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(location, { recursive: true, force: true });
    },
  };
}
