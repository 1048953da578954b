import { startAzurite } from './test/support/azurite';
import { BlobServiceClient } from '@azure/storage-blob';
(async () => {
  const a = await startAzurite();
  const svc = BlobServiceClient.fromConnectionString(a.connectionString);
  const c = svc.getContainerClient('x'); await c.create();
  await c.getBlockBlobClient('a/b.txt').upload('hello', 5);
  const d = await c.getBlockBlobClient('a/b.txt').downloadToBuffer(1, 3);
  console.log(d.toString());
  await a.stop();
})().catch(e => { console.error(e); process.exit(1); });
