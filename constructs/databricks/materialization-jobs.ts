import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { Manifest } from '@featurestack/runtime/manifest';
import { findFeatureView } from '@featurestack/runtime/spark';
import { DRIVER_PATH } from '@featurestack/runtime/spark';
import { problem, validateAtSynth } from '../core/validation';
import type { IDatabricksWorkspace } from './databricks-workspace';
import { SecretScope, WorkspaceFile, type JobJobCluster } from './l1';
import { DatabricksMaterializationJob, type MaterializationTooling } from './materialization-job';
import { adlsLakeOf, clusterAccess, isOnlineAdlsView, type RequiredSecret } from './storage-access';

const ASSETS = path.join(__dirname, 'assets');
const DEFAULT_SPARK_VERSION = '15.4.x-scala2.12'; // Spark 3.5: the SQL needs `_metadata.row_index`
const DEFAULT_NODE_TYPE = 'Standard_D4ds_v5';

export interface DatabricksMaterializationJobsProps {
  /**
   * The registry the jobs are generated from: `FeatureRepo.toManifest()`, called
   * once every definition is declared (a view declared later gets no job).
   */
  readonly manifest: Manifest;
  /** Where the load tasks read the registry, e.g. `RegistryPublisher.registryUrl`. */
  readonly registryUrl: string;
  /** The views to materialize; each must be online and read from ADLS. @default every such view of the registry */
  readonly views?: readonly string[];
  /** The workspace the jobs run in. @default the stack's default databricks provider */
  readonly workspace?: IDatabricksWorkspace;
  /** Workspace folder for the SQL files, the driver and the scripts. @default '/Shared/featurestack/<project>' */
  readonly workspaceFolder?: string;
  /** Quartz cron expression, in UTC. @default '0 5 * * * ?' (hourly, five past) */
  readonly schedule?: string;
  /** @default '15.4.x-scala2.12' (Spark 3.5) */
  readonly sparkVersion?: string;
  /** @default 'Standard_D4ds_v5' */
  readonly nodeType?: string;
  /** Workers of the snapshot cluster (the load task runs on a single node). @default 2 */
  readonly workers?: number;
  /** Secret scope holding the storage and online store credentials. @default '<project>-featurestack' */
  readonly secretScope?: string;
  /**
   * Workspace path of the featurestack package (`npm pack` output) the load cluster installs.
   * @default '<workspaceFolder>/featurestack.tgz'
   */
  readonly runtimePackage?: string;
  /** A local `npm pack` file to upload to `runtimePackage` at deploy. @default none: upload it yourself */
  readonly runtimePackageSource?: string;
}

/**
 * A `DatabricksMaterializationJob` for every online view of the registry whose batch
 * source is in ADLS, with what they share: the secret scope their clusters read
 * credentials from, the SQL driver and the load scripts as workspace files.
 */
export class DatabricksMaterializationJobs extends Construct {
  /** The job of each view, by view name. */
  readonly jobs: ReadonlyMap<string, DatabricksMaterializationJob>;
  /** What the jobs share, for a `DatabricksMaterializationJob` added with its own schedule. */
  readonly tooling: MaterializationTooling;
  readonly secretScope: SecretScope;
  /** The secrets to put into the scope before the first run (names and what they hold; never values). */
  readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: DatabricksMaterializationJobsProps) {
    super(scope, id);
    const m = props.manifest;
    const folder = (props.workspaceFolder ?? `/Shared/featurestack/${m.project}`).replace(/\/+$/, '');
    const provider = props.workspace?.provider;
    const workers = props.workers ?? 2;
    validateAtSynth(this, () =>
      Number.isInteger(workers) && workers >= 1 ? [] : [problem(this, `workers must be a whole number >= 1, not ${workers}`, 'the load task has its own single-node cluster; give the snapshot cluster at least one worker')],
    );
    const scopeName = props.secretScope ?? `${m.project}-featurestack`;
    const views = props.views ?? m.featureViews.filter((v) => isOnlineAdlsView(m, v)).map((v) => v.name);
    const lakes = views.map((name) => adlsLakeOf(m, findFeatureView(m, name))).filter((lake) => lake !== null);
    const access = clusterAccess(m, [...new Set(lakes)], scopeName);
    this.requiredSecrets = access.secrets;
    this.secretScope = new SecretScope(this, 'SecretScope', { provider, name: scopeName });

    const asset = (fileId: string, name: string, file: string) =>
      new WorkspaceFile(this, fileId, { provider, path: `${folder}/${name}`, contentBase64: readFileSync(file).toString('base64') });
    const driver = asset('Driver', 'run_sql.py', DRIVER_PATH);
    const loader = asset('Loader', 'load_snapshot.py', path.join(ASSETS, 'load_snapshot.py'));
    const installer = asset('Installer', 'install_featurestack.sh', path.join(ASSETS, 'install_featurestack.sh'));
    const runtimePackage = props.runtimePackage ?? `${folder}/featurestack.tgz`;
    if (props.runtimePackageSource) {
      new WorkspaceFile(this, 'RuntimePackage', { provider, path: runtimePackage, source: path.resolve(props.runtimePackageSource) });
    }

    const cluster = { sparkVersion: props.sparkVersion ?? DEFAULT_SPARK_VERSION, nodeTypeId: props.nodeType ?? DEFAULT_NODE_TYPE };
    const snapshotCluster: JobJobCluster = {
      jobClusterKey: 'snapshot',
      newCluster: { ...cluster, numWorkers: workers, sparkConf: { 'spark.sql.session.timeZone': 'UTC', ...access.sparkConf } },
    };
    const loadCluster: JobJobCluster = {
      jobClusterKey: 'load',
      newCluster: {
        ...cluster,
        numWorkers: 0,
        sparkConf: { 'spark.databricks.cluster.profile': 'singleNode', 'spark.master': 'local[*]' },
        customTags: { ResourceClass: 'SingleNode' },
        sparkEnvVars: { ...access.envVars, FEATURESTACK_PACKAGE: `/Workspace${runtimePackage}` },
        initScripts: [{ workspace: { destination: installer.path } }],
      },
    };
    this.tooling = { provider, folder, driverPath: driver.path, loaderPath: loader.path, snapshotCluster, loadCluster };
    this.jobs = new Map(
      views.map((view) => [
        view,
        new DatabricksMaterializationJob(this, view, { manifest: m, view, registryUrl: props.registryUrl, tooling: this.tooling, schedule: props.schedule }),
      ]),
    );
    new TerraformOutput(this, 'RequiredSecrets', {
      value: this.requiredSecrets.map((s) => `${scopeName}/${s.key}: ${s.description}`),
      description: 'Put these secrets into the scope (databricks secrets put-secret) before the jobs first run',
    });
  }
}
