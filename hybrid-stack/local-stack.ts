import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { EmbeddedOnlineStore, FeatureRepo, LocalLake } from '../constructs';
import { declareExampleFeatures } from '../features';

export const PROJECT = 'chicago';

/**
 * Everything on this machine: a folder per lake under `.featurestack/lake/` stands
 * in for HDFS and ADLS, and the online store is embedded. No cloud resources.
 */
export class LocalStack extends TerraformStack {
  readonly repo: FeatureRepo;

  constructor(scope: Construct, id = 'local') {
    super(scope, id);
    const lake = (name: string) => new LocalLake(this, name, { root: `.featurestack/lake/${name}` });
    const onlineStore = new EmbeddedOnlineStore(this, 'online', { path: '.featurestack/online' });
    this.repo = new FeatureRepo(this, 'repo', { project: PROJECT, onlineStore });
    declareExampleFeatures(this.repo, { hdfs: lake('hdfs'), adls: lake('adls'), files: lake('files') });
  }
}
