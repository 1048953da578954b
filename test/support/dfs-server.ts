/**
 * The ADLS Gen2 DFS endpoint for tests, in front of Azurite.
 *
 * Azurite has no DFS endpoint, and `@azure/storage-file-datalake` sends both kinds
 * of calls to one host when the account URL is IP style (`http://127.0.0.1:<port>/<account>`):
 * DFS calls (list paths, create, append, flush, rename, delete) and Blob calls (read
 * with a range, get properties, create file system). So this server answers on that
 * one URL:
 * - DFS calls are implemented here over Azurite's Blob API, as ADLS itself layers
 *   them: a directory is a blob with metadata `hdi_isfolder=true`, append stages a
 *   block, flush commits the block list, rename copies then deletes;
 * - every other call is forwarded byte for byte to Azurite, which checks the client's
 *   shared-key signature (the signature covers the path, not the host or port).
 * DFS calls themselves are not signature-checked. Bytes of file data sent back by
 * ranged reads are counted, so tests can prove that reads are ranged.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { AZURITE_ACCOUNT, type Azurite } from './azurite';

export interface DfsServerOptions {
  /** Most paths per List Paths page, to exercise `x-ms-continuation`. @default 5000 */
  readonly pageSize?: number;
}

export interface DfsServer {
  /** DFS (and Blob) endpoint, IP style: `http://127.0.0.1:<port>/devstoreaccount1` */
  readonly url: string;
  /** Bytes of blob data sent in answer to reads (GET of a blob). */
  bytesServed(): number;
  /** DFS and forwarded calls, e.g. `DFS list trips`, `BLOB GET /trips/a.parquet`. */
  readonly calls: string[];
  stop(): Promise<void>;
}

class DfsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const FOLDER = { hdi_isfolder: 'true' };
const pathNotFound = () => new DfsError(404, 'PathNotFound', 'The specified path does not exist.');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-ms-request-id': crypto.randomUUID(),
    'x-ms-version': '2025-01-05',
    ...headers,
  });
  res.end(text);
}

/** Block ids must have one length per blob; the append position makes them unique. */
const blockId = (position: number) => Buffer.from(`pos-${String(position).padStart(16, '0')}`).toString('base64');

export async function startDfsServer(azurite: Azurite, options: DfsServerOptions = {}): Promise<DfsServer> {
  const pageSize = options.pageSize ?? 5000;
  const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const calls: string[] = [];
  /** Appended but not yet flushed data: blob -> position -> length. */
  const pending = new Map<string, Map<number, number>>();
  let served = 0;

  const kindOf = async (container: ContainerClient, name: string): Promise<'file' | 'directory' | null> => {
    try {
      const props = await container.getBlobClient(name).getProperties();
      return props.metadata?.hdi_isfolder === 'true' ? 'directory' : 'file';
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return null;
      throw e;
    }
  };

  async function makeParents(container: ContainerClient, name: string): Promise<void> {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const kind = await kindOf(container, dir);
      if (kind === 'file') throw new DfsError(409, 'InvalidResourceName', `The parent ${dir} is a file.`);
      if (!kind) await container.getBlockBlobClient(dir).upload('', 0, { metadata: FOLDER });
    }
  }

  async function listPaths(res: ServerResponse, container: ContainerClient, q: URLSearchParams): Promise<void> {
    const directory = (q.get('directory') ?? '').replace(/^\/+|\/+$/g, '');
    if (directory && (await kindOf(container, directory)) !== 'directory') throw pathNotFound();
    const prefix = directory ? `${directory}/` : '';
    const maxPageSize = Math.min(pageSize, Number(q.get('maxResults') ?? pageSize));
    const continuationToken = q.get('continuation') ?? undefined;
    const page =
      q.get('recursive') === 'true'
        ? (await container.listBlobsFlat({ prefix, includeMetadata: true }).byPage({ continuationToken, maxPageSize }).next()).value
        : (await container.listBlobsByHierarchy('/', { prefix, includeMetadata: true }).byPage({ continuationToken, maxPageSize }).next()).value;
    const paths = page.segment.blobItems.map((b: { name: string; metadata?: Record<string, string>; properties: { contentLength?: number; lastModified: Date; etag: string } }) => ({
      name: b.name,
      ...(b.metadata?.hdi_isfolder === 'true' ? { isDirectory: 'true' } : {}),
      contentLength: String(b.metadata?.hdi_isfolder === 'true' ? 0 : (b.properties.contentLength ?? 0)),
      lastModified: b.properties.lastModified.toUTCString(),
      etag: b.properties.etag,
      owner: '$superuser',
      group: '$superuser',
      permissions: 'rw-r-----',
    }));
    reply(res, 200, { paths }, page.continuationToken ? { 'x-ms-continuation': page.continuationToken } : {});
  }

  async function create(req: IncomingMessage, res: ServerResponse, container: ContainerClient, name: string, resource: string): Promise<void> {
    const existing = await kindOf(container, name);
    if (existing && req.headers['if-none-match'] === '*') throw new DfsError(409, 'PathAlreadyExists', 'The specified path already exists.');
    if (existing === 'directory' && resource === 'file') throw new DfsError(409, 'PathConflict', 'The specified path, or an element of the path, exists and its resource type is invalid for this operation.');
    await makeParents(container, name);
    if (resource === 'directory') {
      if (existing !== 'directory') await container.getBlockBlobClient(name).upload('', 0, { metadata: FOLDER });
    } else {
      await container.getBlockBlobClient(name).upload('', 0);
      pending.delete(`${container.containerName}/${name}`);
    }
    const props = await container.getBlobClient(name).getProperties();
    reply(res, 201, undefined, { etag: props.etag ?? '', 'last-modified': (props.lastModified ?? new Date()).toUTCString() });
  }

  async function append(req: IncomingMessage, res: ServerResponse, container: ContainerClient, name: string, position: number): Promise<void> {
    if ((await kindOf(container, name)) !== 'file') throw pathNotFound();
    const body = await readBody(req);
    await container.getBlockBlobClient(name).stageBlock(blockId(position), body, body.length);
    const key = `${container.containerName}/${name}`;
    if (!pending.has(key)) pending.set(key, new Map());
    pending.get(key)!.set(position, body.length);
    reply(res, 202, undefined);
  }

  async function flush(res: ServerResponse, container: ContainerClient, name: string, position: number): Promise<void> {
    const blob = container.getBlockBlobClient(name);
    if ((await kindOf(container, name)) !== 'file') throw pathNotFound();
    const committed = (await blob.getBlockList('committed')).committedBlocks ?? [];
    let length = committed.reduce((sum, b) => sum + b.size, 0);
    const ids = committed.map((b) => b.name);
    const key = `${container.containerName}/${name}`;
    const appended = [...(pending.get(key) ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);
    for (const [at, size] of appended) {
      if (at !== length) throw new DfsError(400, 'InvalidFlushPosition', `The uploaded data is not contiguous: data at ${at}, expected ${length}.`);
      ids.push(blockId(at));
      length += size;
    }
    if (length !== position) throw new DfsError(400, 'InvalidFlushPosition', `The position ${position} does not equal the length of the file, ${length}.`);
    const props = await blob.commitBlockList(ids);
    pending.delete(key);
    reply(res, 200, undefined, { etag: props.etag ?? '', 'last-modified': (props.lastModified ?? new Date()).toUTCString() });
  }

  async function rename(req: IncomingMessage, res: ServerResponse, container: ContainerClient, name: string): Promise<void> {
    const source = decodeURIComponent(String(req.headers['x-ms-rename-source']).split('?')[0])
      .replace(new RegExp(`^/${AZURITE_ACCOUNT}(?=/)`), '')
      .replace(/^\//, '');
    const [sourceFs, ...rest] = source.split('/');
    const sourceName = rest.join('/');
    const from = blobs.getContainerClient(sourceFs);
    const kind = await kindOf(from, sourceName);
    if (!kind) throw new DfsError(404, 'SourcePathNotFound', 'The source path for a rename operation does not exist.');
    if ((await kindOf(container, name)) && req.headers['if-none-match'] === '*') throw new DfsError(409, 'PathAlreadyExists', 'The specified path already exists.');
    await makeParents(container, name);
    const moves: string[] = [sourceName];
    if (kind === 'directory') for await (const b of from.listBlobsFlat({ prefix: `${sourceName}/` })) moves.push(b.name);
    for (const item of moves) {
      const target = name + item.slice(sourceName.length);
      const props = await from.getBlobClient(item).getProperties();
      const data = await from.getBlobClient(item).downloadToBuffer();
      await container.getBlockBlobClient(target).upload(data, data.length, { metadata: props.metadata });
    }
    for (const item of moves.reverse()) await from.getBlobClient(item).delete();
    reply(res, 201, undefined);
  }

  async function remove(res: ServerResponse, container: ContainerClient, name: string, recursive: boolean): Promise<void> {
    const kind = await kindOf(container, name);
    if (!kind) throw pathNotFound();
    const children: string[] = [];
    if (kind === 'directory') for await (const b of container.listBlobsFlat({ prefix: `${name}/` })) children.push(b.name);
    if (children.length > 0 && !recursive) throw new DfsError(409, 'DirectoryNotEmpty', 'The recursive query parameter value must be true to delete a non-empty directory.');
    for (const child of children.reverse()) await container.getBlobClient(child).delete();
    await container.getBlobClient(name).delete();
    reply(res, 200, undefined);
  }

  /** Routes a DFS call, or returns false for a Blob call. */
  async function dfs(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const q = url.searchParams;
    const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
    // The client's rename (move) builds the destination URL without the account segment of an IP-style URL.
    if (segments[0] === AZURITE_ACCOUNT) segments.shift();
    const [fs, ...rest] = segments;
    const name = rest.join('/');
    if (!fs) return false;
    const container = blobs.getContainerClient(fs);
    const resource = q.get('resource');
    const action = q.get('action');
    const method = req.method ?? 'GET';
    if (method === 'GET' && resource === 'filesystem') {
      calls.push(`DFS list ${fs}`);
      await listPaths(res, container, q);
    } else if (method === 'PUT' && resource === 'filesystem') {
      calls.push(`DFS create-filesystem ${fs}`);
      await container.create();
      reply(res, 201, undefined);
    } else if (method === 'PUT' && req.headers['x-ms-rename-source']) {
      calls.push(`DFS rename ${fs}/${name}`);
      await rename(req, res, container, name);
    } else if (method === 'PUT' && (resource === 'file' || resource === 'directory')) {
      calls.push(`DFS create-${resource} ${fs}/${name}`);
      await create(req, res, container, name, resource);
    } else if (method === 'PATCH' && action === 'append') {
      calls.push(`DFS append ${fs}/${name}`);
      await append(req, res, container, name, Number(q.get('position') ?? 0));
    } else if (method === 'PATCH' && action === 'flush') {
      calls.push(`DFS flush ${fs}/${name}`);
      await flush(res, container, name, Number(q.get('position') ?? 0));
    } else if (method === 'DELETE' && name && !q.has('restype')) {
      calls.push(`DFS delete ${fs}/${name}`);
      await remove(res, container, name, q.get('recursive') === 'true');
    } else {
      return false;
    }
    return true;
  }

  function forward(req: IncomingMessage, res: ServerResponse, url: URL): void {
    calls.push(`BLOB ${req.method} ${url.pathname.slice(AZURITE_ACCOUNT.length + 1)}`);
    const upstream = httpRequest(
      { host: '127.0.0.1', port: azurite.port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${azurite.port}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (req.method === 'GET' && url.pathname.split('/').length > 3) answer.on('data', (c: Buffer) => (served += c.length));
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => reply(res, 502, { error: { code: 'BadGateway', message: e.message } }));
    req.pipe(upstream);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    dfs(req, res, url)
      .then((handled) => {
        if (!handled) forward(req, res, url);
      })
      .catch((e: unknown) => {
        req.resume();
        const error = e instanceof DfsError ? e : new DfsError((e as { statusCode?: number }).statusCode ?? 500, (e as { code?: string }).code ?? 'InternalError', (e as Error).message);
        reply(res, error.status, { error: { code: error.code, message: `${error.message}\nRequestId:${crypto.randomUUID()}` } }, { 'x-ms-error-code': error.code });
      });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

  return {
    url: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    bytesServed: () => served,
    calls,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
