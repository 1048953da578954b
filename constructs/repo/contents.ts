import type { IConstruct } from 'constructs';
import { Entity } from '../core/entity';
import { FeatureService } from '../core/feature-service';
import { FeatureView } from '../core/feature-view';
import { OnDemandFeatureView } from '../core/on-demand-feature-view';
import { VectorIndex } from '../core/vector-index';
import type { ILake } from '../lakes/lake';
import { BatchSource } from '../sources/batch-source';
import { DataSource } from '../sources/data-source';

/** Everything declared under a FeatureRepo, in construct-tree order. */
export interface RepoContents {
  readonly entities: readonly Entity[];
  readonly sources: readonly DataSource[];
  readonly views: readonly FeatureView[];
  readonly services: readonly FeatureService[];
  readonly onDemandViews: readonly OnDemandFeatureView[];
  readonly vectorIndexes: readonly VectorIndex[];
  /** Lakes given to the repo and lakes its sources read from, each once. */
  readonly lakes: readonly ILake[];
  /** Whether a FileSource without a lake reads from the working directory. */
  readonly usesWorkingDirectory: boolean;
}

export function collectContents(repo: IConstruct, declaredLakes: readonly ILake[]): RepoContents {
  const all = repo.node.findAll();
  const sources = all.filter((c): c is DataSource => c instanceof DataSource);
  const batch = sources.filter((s): s is BatchSource => s instanceof BatchSource);
  const lakes = [...declaredLakes];
  for (const source of batch) {
    const lake = source.location.lake;
    if (lake && !lakes.includes(lake)) lakes.push(lake);
  }
  return {
    entities: all.filter((c): c is Entity => c instanceof Entity),
    sources,
    views: all.filter((c): c is FeatureView => c instanceof FeatureView),
    services: all.filter((c): c is FeatureService => c instanceof FeatureService),
    onDemandViews: all.filter((c): c is OnDemandFeatureView => c instanceof OnDemandFeatureView),
    vectorIndexes: all.filter((c): c is VectorIndex => c instanceof VectorIndex),
    lakes,
    usesWorkingDirectory: batch.some((s) => s.location.lake === undefined),
  };
}
