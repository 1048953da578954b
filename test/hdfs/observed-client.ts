import { WebHdfsClient } from '../../runtime/lakes/webhdfs-client';

/** A client that runs `onRead(n)` before its n-th ranged read (n from 1). */
export class ObservedClient extends WebHdfsClient {
  reads = 0;
  onRead: (n: number) => Promise<void> = async () => undefined;
  override async read(path: string, offset: number, length: number): Promise<Uint8Array> {
    await this.onRead(++this.reads);
    return super.read(path, offset, length);
  }
}
