import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { AdlsLakeSpec, FeatureViewSpec, Manifest } from '../../runtime/manifest/schema';
import { SPARK } from '../../runtime/spark/dialect';
import { snapshotJob } from '../../runtime/spark/jobs';
import { batchSourceOf, defaultSnapshotUrl, findLake } from '../../runtime/spark/lake-urls';
import { DRIVER_PATH } from '../../runtime/spark/spark-submit';
import { renderScript } from '../../runtime/spark/sql-script';
import type { IDatabricksWorkspace } from '../databricks/databricks-workspace';
import { problem, validateAtSynth } from '../core/validation';
import { Job, SecretScope, WorkspaceFile, type JobJobCluster } from './l1';
import { clusterAccess, type RequiredSecret } from './storage-access';

const ASSETS = path.join(__dirname, 'assets');

export interface DatabricksSnapshotJobsProps {
  /** The registry the SQL is generated from: `FeatureRepo.toManifest()`, once every definition is declared. */
  readonly manifest: Manifest;
  /** Where the load task reads the registry, e.g. `RegistryPublisher.registryUrl`. */
  readonly registryUrl: string;
  /** The workspace the jobs run in. @default the stack's default databricks provider */
  readonly workspace?: IDatabricksWorkspace;
  /** Workspace folder for the SQL files, the driver and the scripts. @default '/Shared/featurestack/<project>' */
  readonly workspaceFolder?: string;
  /** Quartz cron expression, in UTC. @default '0 5 * * * ?' (hourly, five past) */
  readonly schedule?: string;
  /** @default '15.4.x-scala2.12' (Spark 3.5: `_metadata.row_index` is needed) */
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
 * Scheduled Databricks jobs that materialize the online ADLS-backed views with Spark:
 * per view, a task runs the generated snapshot SQL (latest row per entity over the
 * view's TTL up to the trigger time) with the generic driver, then a task loads the
 * snapshot into the online store with `featurestack materialize --from-snapshot`.
 */
export class DatabricksSnapshotJobs extends Construct {
  /** The job of each view, by view name. */
  readonly jobs: ReadonlyMap<string, Job>;
  readonly secretScope: SecretScope;
  /** The secrets to put into the scope before the first run (names and what they hold; never values). */
  readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: DatabricksSnapshotJobsProps) {
    super(scope, id);
    const m = props.manifest;
    const folder = (props.workspaceFolder ?? `/Shared/featurestack/${m.project}`).replace(/\/+$/, '');
    const provider = props.workspace?.provider;
    const workers = props.workers ?? 2;
    validateAtSynth(this, () =>
      Number.isInteger(workers) && workers >= 1 ? [] : [problem(this, `workers must be a whole number >= 1, not ${workers}`, 'the load task has its own single-node cluster; give the snapshot cluster at least one worker')],
    );
    const scopeName = props.secretScope ?? `${m.project}-featurestack`;
    const views = m.featureViews.filter((v) => adlsLakeOf(m, v) !== null && v.online);
    const access = clusterAccess(m, [...new Set(views.map((v) => adlsLakeOf(m, v)!))], scopeName);
    this.requiredSecrets = access.secrets;

    this.secretScope = new SecretScope(this, 'SecretScope', { provider, name: scopeName });
    const file = (fileId: string, name: string, content: string) =>
      new WorkspaceFile(this, fileId, { provider, path: `${folder}/${name}`, contentBase64: Buffer.from(content).toString('base64') });
    const driver = file('Driver', 'run_sql.py', readFileSync(DRIVER_PATH, 'utf8'));
    const loader = file('Loader', 'load_snapshot.py', readFileSync(path.join(ASSETS, 'load_snapshot.py'), 'utf8'));
    const installer = file('Installer', 'install_featurestack.sh', readFileSync(path.join(ASSETS, 'install_featurestack.sh'), 'utf8'));
    const runtimePackage = props.runtimePackage ?? `${folder}/featurestack.tgz`;
    if (props.runtimePackageSource) {
      new WorkspaceFile(this, 'RuntimePackage', { provider, path: runtimePackage, source: path.resolve(props.runtimePackageSource) });
    }

    const snapshotCluster: JobJobCluster = {
      jobClusterKey: 'snapshot',
      newCluster: {
        sparkVersion: props.sparkVersion ?? '15.4.x-scala2.12',
        nodeTypeId: props.nodeType ?? 'Standard_D4ds_v5',
        numWorkers: workers,
        sparkConf: { 'spark.sql.session.timeZone': 'UTC', ...access.sparkConf },
      },
    };
    const loadCluster: JobJobCluster = {
      jobClusterKey: 'load',
      newCluster: {
        sparkVersion: props.sparkVersion ?? '15.4.x-scala2.12',
        nodeTypeId: props.nodeType ?? 'Standard_D4ds_v5',
        numWorkers: 0,
        sparkConf: { 'spark.databricks.cluster.profile': 'singleNode', 'spark.master': 'local[*]' },
        customTags: { ResourceClass: 'SingleNode' },
        sparkEnvVars: { ...access.envVars, FEATURESTACK_PACKAGE: `/Workspace${runtimePackage}` },
        initScripts: [{ workspace: { destination: installer.path } }],
      },
    };

    const jobs = new Map<string, Job>();
    for (const view of views) {
      const job = snapshotJob(m, { view: view.name }, SPARK);
      const sql = file(`Sql-${view.name}`, `snapshot_${view.name}.sql`, renderScript(job.script));
      const parameters = job.script.parameters.flatMap((p) => ['--param', `${p}={{job.trigger.time.iso_datetime}}`]);
      jobs.set(
        view.name,
        new Job(this, `Job-${view.name}`, {
          provider,
          name: `featurestack-${m.project}-snapshot-${view.name}`,
          maxConcurrentRuns: 1,
          jobCluster: [snapshotCluster, loadCluster],
          task: [
            {
              taskKey: 'snapshot',
              jobClusterKey: 'snapshot',
              sparkPythonTask: { pythonFile: driver.path, source: 'WORKSPACE', parameters: [`/Workspace${sql.path}`, ...parameters] },
            },
            {
              taskKey: 'load',
              jobClusterKey: 'load',
              dependsOn: [{ taskKey: 'snapshot' }],
              sparkPythonTask: { pythonFile: loader.path, source: 'WORKSPACE', parameters: [defaultSnapshotUrl(m, view), '--manifest', props.registryUrl] },
            },
          ],
          schedule: { quartzCronExpression: props.schedule ?? '0 5 * * * ?', timezoneId: 'UTC' },
          tags: { featurestack_project: m.project, featurestack_view: view.name },
        }),
      );
    }
    this.jobs = jobs;
    new TerraformOutput(this, 'RequiredSecrets', {
      value: this.requiredSecrets.map((s) => `${scopeName}/${s.key}: ${s.description}`),
      description: 'Put these secrets into the scope (databricks secrets put-secret) before the jobs first run',
    });
  }
}

/** The ADLS lake holding a view's batch source, or null when it lives elsewhere. */
function adlsLakeOf(manifest: Manifest, view: FeatureViewSpec): AdlsLakeSpec | null {
  const lake = findLake(manifest, batchSourceOf(manifest, view).lake);
  return lake.kind === 'adls' ? lake : null;
}
