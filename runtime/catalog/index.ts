import type { Manifest } from '../manifest/schema';
import { describe, findOne, type Description, type DescribeKind } from './describe';
import { matchesFilter, type RecordFilter } from './filters';
import { takeSnapshot, type WatermarkReader, type WatermarkSnapshot } from './freshness';
import { CatalogModel } from './model';
import { recordsOf, type CatalogRecord, type ListKind } from './records';

export interface CatalogOptions {
  /** The online views' watermarks. @default none: every online view reads as never materialized */
  readonly watermarks?: WatermarkReader;
  /** The clock ages are measured against. @default () => new Date() */
  readonly now?: () => Date;
}

/** What the CLI and the web page ask of the catalog: lists, filters, descriptions with freshness. */
export class Catalog {
  readonly model: CatalogModel;
  private readonly readWatermarks: WatermarkReader;
  private readonly clock: () => Date;

  constructor(manifest: Manifest, options: CatalogOptions = {}) {
    this.model = new CatalogModel(manifest);
    this.readWatermarks = options.watermarks ?? (async () => ({}));
    this.clock = options.now ?? (() => new Date());
  }

  list(kind: ListKind, filter: RecordFilter = {}): CatalogRecord[] {
    return recordsOf(this.model, kind).filter((r) => matchesFilter(r, filter));
  }

  /** Reads the watermarks once, for every freshness shown in one answer. */
  snapshot(): Promise<WatermarkSnapshot> {
    return takeSnapshot(this.readWatermarks);
  }

  now(): Date {
    return this.clock();
  }

  async describe(name: string, kind?: DescribeKind): Promise<Description> {
    const named = findOne(this.model, name, kind);
    // An entity shows no freshness: no need to reach the online store for it.
    const snapshot: WatermarkSnapshot = named.kind === 'entity' ? { ok: true, watermarks: {} } : await this.snapshot();
    return describe(this.model, named, snapshot, this.now());
  }
}

export { CatalogModel } from './model';
export type { CatalogRecord, ListKind } from './records';
export type { Description, DescribeKind } from './describe';
export type { Freshness, Watermark, WatermarkReader } from './freshness';
