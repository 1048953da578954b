import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import type { HdfsPlan, Manifest } from '@featurestack/runtime/manifest';
import { checkRegistryName, problem, validateAtSynth } from '../core/validation';
import type { IHdfsLake, ILake } from '../lakes/lake';
import type { IOnlineStore } from '../online/online-store';
import { buildManifest } from './build-manifest';
import { collectContents, RepoContents } from './contents';
import { buildHdfsPlan } from './hdfs-plan';
import { RegistrySynthesizer } from './registry-synthesizer';
import { checkRepo, hdfsSourcesOf } from './repo-checks';

export interface FeatureRepoProps {
  /** Project name; the online store keys and Feast's layout use it. @default the construct id */
  readonly project?: string;
  readonly onlineStore: IOnlineStore;
  /** Lakes to list in the registry besides those the sources read from. @default [] */
  readonly lakes?: readonly ILake[];
}

/**
 * A feature repository: the entities, sources, views and services declared under
 * it. At synth it checks them as a whole and writes the registry
 * (`featurestack/registry.json` in the stack's output folder) and, when a source
 * lives on HDFS, `featurestack/hdfs-plan.json`. One per stack.
 */
export class FeatureRepo extends Construct {
  readonly project: string;
  readonly onlineStore: IOnlineStore;
  private readonly declaredLakes: readonly ILake[];

  constructor(scope: Construct, id: string, props: FeatureRepoProps) {
    super(scope, id);
    this.project = props.project ?? id;
    this.onlineStore = props.onlineStore;
    this.declaredLakes = [...(props.lakes ?? [])];
    const stack = TerraformStack.of(this);
    if (stack.synthesizer instanceof RegistrySynthesizer) {
      throw new Error(problem(this, 'the stack already has a FeatureRepo', 'declare one FeatureRepo per stack and put every definition under it'));
    }
    stack.synthesizer = new RegistrySynthesizer(stack, stack.synthesizer, this);
    validateAtSynth(this, () => this.problems());
  }

  /** What is wrong with the repository as a whole (duplicate names, references, HDFS folders). */
  problems(): string[] {
    return [...checkRegistryName(this, 'project', this.project), ...checkRepo(this, this.contents())];
  }

  /** Everything declared under the repo so far. */
  contents(): RepoContents {
    return collectContents(this, this.declaredLakes);
  }

  /** The registry; throws the repository's problems first, so that no other error hides them. */
  toManifest(): Manifest {
    const problems = this.problems();
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return buildManifest(this.project, TerraformStack.of(this).node.id, this.onlineStore.toOnlineStoreSpec(), this.contents());
  }

  /** The bundles of the on-demand views' transforms, written beside the registry. */
  transformBundles(): { path: string; code: string }[] {
    return this.contents().onDemandViews.map((v) => v.bundle());
  }

  /** The HDFS folder plan, or undefined when no source lives on HDFS. */
  toHdfsPlan(): HdfsPlan | undefined {
    const contents = this.contents();
    const lake = contents.lakes.find((l): l is IHdfsLake => l.kind === 'hdfs');
    return lake ? buildHdfsPlan(lake, hdfsSourcesOf(contents)) : undefined;
  }
}
