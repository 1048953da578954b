import { FeatureStoreError } from './errors';
import type { LakeReader } from './lakes';
import { openLakeReader } from './lakes/open-lake-reader';
import type { Manifest } from './manifest/schema';
import { openOnlineStore, type OnlineStore } from './online';

/**
 * What every runtime operation needs: the manifest, the environment (for endpoint
 * overrides and named secrets), and lazily opened, cached lake readers and online store.
 */
export class StoreContext {
  private readonly readers = new Map<string, LakeReader>();
  private online: Promise<OnlineStore> | undefined;

  constructor(
    readonly manifest: Manifest,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  lakeReader(lakeName: string): LakeReader {
    let reader = this.readers.get(lakeName);
    if (!reader) {
      const spec = this.manifest.lakes.find((l) => l.name === lakeName);
      if (!spec) throw new FeatureStoreError('MANIFEST_INVALID', `unknown lake "${lakeName}"`, 'synthesize the registry again');
      reader = openLakeReader(spec, this.env, this.manifest.lakes);
      this.readers.set(lakeName, reader);
    }
    return reader;
  }

  onlineStore(): Promise<OnlineStore> {
    if (!this.online) {
      this.online = openOnlineStore(this.manifest, this.env);
      // A failed open is not cached: the next call tries again (the store may come back).
      this.online.catch(() => (this.online = undefined));
    }
    return this.online;
  }

  async close(): Promise<void> {
    const online = this.online;
    this.online = undefined;
    await Promise.all([...this.readers.values()].map((r) => r.close()));
    this.readers.clear();
    if (online) await (await online.catch(() => undefined))?.close();
  }
}
