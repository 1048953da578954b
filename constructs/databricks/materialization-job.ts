import { Construct } from 'constructs';
import type { Manifest } from '@featurestack/runtime/manifest';
import { SPARK } from '@featurestack/runtime/spark';
import { snapshotJob } from '@featurestack/runtime/spark';
import { defaultSnapshotUrl } from '@featurestack/runtime/spark';
import { findFeatureView } from '@featurestack/runtime/spark';
import { renderScript } from '@featurestack/runtime/spark';
import { problem } from '../core/validation';
import { Job, WorkspaceFile, type DatabricksProvider, type JobJobCluster } from './l1';
import { isOnlineAdlsView } from './storage-access';

/** What the jobs of one workspace share; `DatabricksMaterializationJobs` sets it up. */
export interface MaterializationTooling {
  /** @default the stack's default databricks provider */
  readonly provider?: DatabricksProvider;
  /** Workspace folder the view's snapshot SQL is written to. */
  readonly folder: string;
  /** Workspace path of the generic SQL driver (`run_sql.py`). */
  readonly driverPath: string;
  /** Workspace path of the task that loads a snapshot into the online store (`load_snapshot.py`). */
  readonly loaderPath: string;
  /** Job cluster `snapshot`: runs the SQL and reaches the lakes. */
  readonly snapshotCluster: JobJobCluster;
  /** Job cluster `load`: runs `featurestack materialize --from-snapshot` and reaches the online store. */
  readonly loadCluster: JobJobCluster;
}

export interface DatabricksMaterializationJobProps {
  /** The registry the snapshot SQL is generated from: `FeatureRepo.toManifest()`. */
  readonly manifest: Manifest;
  /** Name of an online feature view whose batch source is in an ADLS lake. */
  readonly view: string;
  /** Where the load task reads the registry, e.g. `RegistryPublisher.registryUrl`. */
  readonly registryUrl: string;
  readonly tooling: MaterializationTooling;
  /** Quartz cron expression, in UTC. @default '0 5 * * * ?' (hourly, five past) */
  readonly schedule?: string;
  /** Job name in the workspace; its SQL file is named after it. @default 'featurestack-<project>-materialize-<view>' */
  readonly name?: string;
}

/**
 * The scheduled Databricks job that materializes one ADLS-backed view with Spark: a
 * `snapshot` task runs the generated SQL (latest row per entity over the view's TTL up
 * to the trigger time) with the generic driver, then a `load` task writes the snapshot
 * into the online store with `featurestack materialize --from-snapshot`.
 */
export class DatabricksMaterializationJob extends Construct {
  readonly job: Job;
  /** The workspace file holding the view's snapshot SQL: `<folder>/<job name>.sql`. */
  readonly sql: WorkspaceFile;

  constructor(scope: Construct, id: string, props: DatabricksMaterializationJobProps) {
    super(scope, id);
    const { manifest: m, tooling } = props;
    const view = findFeatureView(m, props.view);
    if (!isOnlineAdlsView(m, view)) {
      throw new Error(problem(this, `feature view "${view.name}" is not an online view with an ADLS source`, 'materialize only online views whose batch source is an AdlsSource'));
    }
    const name = props.name ?? `featurestack-${m.project}-materialize-${view.name}`;
    const snapshot = snapshotJob(m, { view: view.name }, SPARK);
    this.sql = new WorkspaceFile(this, 'Sql', {
      provider: tooling.provider,
      // Named after the job, so that two jobs of one view never share a file.
      path: `${tooling.folder}/${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.sql`,
      contentBase64: Buffer.from(renderScript(snapshot.script)).toString('base64'),
    });
    const parameters = snapshot.script.parameters.flatMap((p) => ['--param', `${p}={{job.trigger.time.iso_datetime}}`]);
    this.job = new Job(this, 'Resource', {
      provider: tooling.provider,
      name,
      maxConcurrentRuns: 1,
      jobCluster: [tooling.snapshotCluster, tooling.loadCluster],
      task: [
        {
          taskKey: 'snapshot',
          jobClusterKey: tooling.snapshotCluster.jobClusterKey,
          sparkPythonTask: { pythonFile: tooling.driverPath, source: 'WORKSPACE', parameters: [`/Workspace${this.sql.path}`, ...parameters] },
        },
        {
          taskKey: 'load',
          jobClusterKey: tooling.loadCluster.jobClusterKey,
          dependsOn: [{ taskKey: 'snapshot' }],
          sparkPythonTask: { pythonFile: tooling.loaderPath, source: 'WORKSPACE', parameters: [defaultSnapshotUrl(m, view), '--manifest', props.registryUrl] },
        },
      ],
      schedule: { quartzCronExpression: props.schedule ?? '0 5 * * * ?', timezoneId: 'UTC' },
      tags: { featurestack_project: m.project, featurestack_view: view.name },
    });
  }
}
