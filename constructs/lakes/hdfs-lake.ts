import { Construct } from 'constructs';
import { DataResource } from 'cdktf';
import type { HdfsLakeSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { checkRegistryName, problem, validateAtSynth } from '../core/validation';
import { HDFS_PLAN_FILE, synthesizedFileMd5, synthesizedFileReference } from '../repo/output-files';
import type { HdfsFolderAccess, IHdfsLake } from './lake';

export interface HdfsLakeProps extends Partial<HdfsFolderAccess> {
  /** Registry name of the lake. @default the construct id */
  readonly name?: string;
  /** The namenode's WebHDFS endpoint, e.g. `http://namenode:9870/webhdfs/v1`. */
  readonly webhdfsUrl: string;
  /** User the runtime and the plan act as (`user.name`). @default 'hdfs' */
  readonly user?: string;
}

/**
 * An existing HDFS cluster. At deploy a `terraform_data` resource runs
 * `featurestack hdfs apply` with the synthesized `hdfs-plan.json`, which creates each
 * HdfsSource's folder with its owner, group and permission; it runs again whenever
 * the plan changes. Defaults for folders: owner = user, group `hadoop`, permission `750`.
 */
export class HdfsLake extends Construct implements IHdfsLake {
  readonly kind = 'hdfs' as const;
  readonly lakeName: string;
  readonly webhdfsUrl: string;
  readonly user: string;
  readonly folderDefaults: HdfsFolderAccess;

  constructor(scope: Construct, id: string, props: HdfsLakeProps) {
    super(scope, id);
    this.lakeName = props.name ?? id;
    this.webhdfsUrl = props.webhdfsUrl;
    this.user = props.user ?? 'hdfs';
    this.folderDefaults = { owner: props.owner ?? this.user, group: props.group ?? 'hadoop', permission: props.permission ?? '750' };
    const plan = synthesizedFileReference(HDFS_PLAN_FILE);
    new DataResource(this, 'Resource', {
      triggersReplace: { plan: synthesizedFileMd5(HDFS_PLAN_FILE) },
      provisioners: [{ type: 'local-exec', command: `npx --no-install featurestack hdfs apply --plan "${plan}"` }],
    });
    validateAtSynth(this, () => this.check());
  }

  private check(): string[] {
    const errors = checkRegistryName(this, 'lake', this.lakeName);
    if (!URL.canParse(this.webhdfsUrl) || !/^https?:$/.test(new URL(this.webhdfsUrl).protocol)) {
      errors.push(problem(this, `webhdfsUrl "${this.webhdfsUrl}" is not an http(s) URL`, 'give the WebHDFS endpoint, e.g. "http://namenode:9870/webhdfs/v1"'));
    }
    return errors;
  }

  toLakeSpec(): HdfsLakeSpec {
    return withHash<HdfsLakeSpec>({ kind: 'hdfs', name: this.lakeName, webhdfsUrl: this.webhdfsUrl, user: this.user });
  }
}
